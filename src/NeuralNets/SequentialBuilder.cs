using System.Numerics;

namespace NeuralNets;

/// <summary>
/// Builds a <see cref="Sequential{T}"/> layer by layer, inferring each layer's input shape from the
/// one before. Layers are created by <see cref="Build"/> from one seeded random source, in order.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SequentialBuilder<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _inputShape;
    private readonly List<Func<IReadOnlyList<int>, Random, ILayer<T>>> _factories = [];

    internal SequentialBuilder(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"The input shape must have at least one length and all lengths positive, but was {ShapeMismatchException.Format(inputShape)}.", nameof(inputShape));
        _inputShape = (int[])inputShape.Clone();
    }

    /// <summary>Appends a layer made by <paramref name="factory"/> from the per-sample input shape and the build's random source.</summary>
    public SequentialBuilder<T> Add(Func<IReadOnlyList<int>, Random, ILayer<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(factory);
        return this;
    }

    /// <summary>Appends a fully connected layer with <paramref name="units"/> outputs; the input must be flat.</summary>
    public SequentialBuilder<T> Dense(int units, WeightInit init = WeightInit.GlorotUniform)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        return Add((shape, random) =>
        {
            if (shape.Count != 1)
                throw new ShapeMismatchException($"Dense(? → {units})", "[features]", shape, "add Flatten() before Dense");
            return new Dense<T>(shape[0], units, random, init);
        });
    }

    /// <summary>Appends a <see cref="Sigmoid{T}"/>.</summary>
    public SequentialBuilder<T> Sigmoid() => Add(static (_, _) => new Sigmoid<T>());

    /// <summary>Appends a <see cref="Tanh{T}"/>.</summary>
    public SequentialBuilder<T> Tanh() => Add(static (_, _) => new Tanh<T>());

    /// <summary>Appends a <see cref="ReLU{T}"/>.</summary>
    public SequentialBuilder<T> ReLU() => Add(static (_, _) => new ReLU<T>());

    /// <summary>Appends a <see cref="LeakyReLU{T}"/>.</summary>
    public SequentialBuilder<T> LeakyReLU(double slope = 0.01) => Add((_, _) => new LeakyReLU<T>(slope));

    /// <summary>Appends a <see cref="Softmax{T}"/>.</summary>
    public SequentialBuilder<T> Softmax() => Add(static (_, _) => new Softmax<T>());

    /// <summary>Creates the layers with weights drawn from <paramref name="seed"/> and checks every shape.</summary>
    public Sequential<T> Build(int seed)
    {
        if (_factories.Count == 0) throw new InvalidOperationException("The network has no layers: add at least one before Build.");
        var random = new Random(seed);
        var layers = new ILayer<T>[_factories.Count];
        IReadOnlyList<int> shape = _inputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = _factories[i](shape, random);
            shape = layers[i].OutputShape(shape);
        }
        return new Sequential<T>(_inputShape, layers);
    }
}
