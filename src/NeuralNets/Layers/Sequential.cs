using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using NeuralNets.Tensors;

namespace NeuralNets;

/// <summary>
/// Layers applied one after another. Forward runs them in order, Backward in reverse; its
/// parameters are named as in PyTorch's <c>nn.Sequential</c> (<c>"0.weight"</c>, <c>"2.bias"</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sequential<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;

    /// <summary>Chains <paramref name="layers"/>; the input shape is not known, so no shapes are checked up front.</summary>
    public Sequential(params ILayer<T>[] layers) : this(null, layers) { }

    /// <summary>Chains <paramref name="layers"/> for samples of <paramref name="inputShape"/>, checking that every layer fits the one before.</summary>
    public Sequential(IReadOnlyList<int>? inputShape, params ILayer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A Sequential network needs at least one layer.", nameof(layers));
        _layers = (ILayer<T>[])layers.Clone();
        var parameters = new List<Parameter<T>>();
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null) throw new ArgumentNullException(nameof(layers), $"Layer {i} is null.");
            foreach (var p in _layers[i].Parameters)
            {
                p.Name = $"{i}.{p.Name}";
                parameters.Add(p);
            }
        }
        _parameters = parameters.ToArray();
        if (inputShape is not null)
        {
            InputShape = inputShape.ToArray();
            OutputShapeOfNetwork = OutputShape(InputShape);
        }
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The per-sample input shape, when it was given.</summary>
    public IReadOnlyList<int>? InputShape { get; }

    /// <summary>The per-sample output shape, when the input shape was given.</summary>
    public IReadOnlyList<int>? OutputShapeOfNetwork { get; }

    /// <summary>Total number of trainable scalars.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (var p in _parameters) count += p.Length;
            return count;
        }
    }

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> input, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x, training);
        return x;
    }

    /// <inheritdoc/>
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        var g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>
    /// Backpropagates into the parameters' gradients only: the same gradients as <see cref="Backward"/>,
    /// but the first layer may skip dLoss/dInput, which training never uses (PyTorch likewise skips it
    /// for an input that does not require grad). Use <see cref="Backward"/> when you need the input gradient.
    /// </summary>
    public void BackwardToParameters(Tensor<T> outputGradient)
    {
        var g = outputGradient;
        for (int i = _layers.Length - 1; i > 0; i--) g = _layers[i].Backward(g);
        if (_layers[0] is IParameterGradientOnly<T> first) first.BackwardToParameters(g);
        else _layers[0].Backward(g);
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var p in _parameters) p.ZeroGradient();
    }

    /// <summary>Runs inference on a batch and returns a tensor the caller owns.</summary>
    public Tensor<T> Predict(Tensor<T> batch)
    {
        var output = Forward(batch, training: false);
        var copy = new T[output.FlattenedLength];
        output.Span().CopyTo(copy);
        return TensorMemory.Wrap(copy, output.Shape());
    }

    /// <summary>Runs inference on one sample (its elements in row-major order) and returns its output.</summary>
    public T[] Predict(ReadOnlySpan<T> sample)
    {
        int[] shape;
        if (InputShape is not null)
        {
            shape = [1, .. InputShape];
            int expected = 1;
            foreach (int d in InputShape) expected *= d;
            if (sample.Length != expected)
                throw new ShapeMismatchException(ToString(), $"a sample of {expected} values {ShapeMismatchException.Format(InputShape)}", [sample.Length]);
        }
        else shape = [1, sample.Length];
        var input = TensorMemory.Wrap(sample.ToArray(), shape);
        return Forward(input, training: false).Span().ToArray();
    }

    /// <inheritdoc/>
    public int[] OutputShape(IReadOnlyList<int> inputShape)
    {
        IReadOnlyList<int> shape = inputShape;
        for (int i = 0; i < _layers.Length; i++) shape = _layers[i].OutputShape(shape);
        return shape.ToArray();
    }

    /// <inheritdoc/>
    public LayerDescription Describe() =>
        new("Sequential", new Dictionary<string, double> { ["layers"] = _layers.Length });

    /// <summary>Every layer's description, in order.</summary>
    public IReadOnlyList<LayerDescription> DescribeLayers() => _layers.Select(l => l.Describe()).ToArray();

    /// <summary>Prints the layers one per line with their output shapes and the parameter count.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Sequential(");
        IReadOnlyList<int>? shape = InputShape;
        if (shape is not null) text.Append("input ").Append(ShapeMismatchException.Format(shape));
        text.AppendLine();
        for (int i = 0; i < _layers.Length; i++)
        {
            text.Append("  (").Append(i).Append(") ").Append(_layers[i]);
            if (shape is not null)
            {
                shape = _layers[i].OutputShape(shape);
                text.Append("  → ").Append(ShapeMismatchException.Format(shape));
            }
            text.AppendLine();
        }
        return text.Append(") ").Append(ParameterCount).Append(" parameters").ToString();
    }

    private void CheckInput(Tensor<T> input)
    {
        if (InputShape is null) return;
        var lengths = input.Lengths;
        bool fits = lengths.Length == InputShape.Count + 1;
        for (int i = 0; fits && i < InputShape.Count; i++) fits = lengths[i + 1] == InputShape[i];
        if (!fits)
            throw new ShapeMismatchException("Sequential", "[N, " + ShapeMismatchException.Format(InputShape).TrimStart('['), input.Shape());
    }
}
