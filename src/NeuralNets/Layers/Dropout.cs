using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Inverted dropout, as PyTorch's <c>nn.Dropout</c>: while training each element is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so that inference needs no rescaling
/// and is the identity.
/// </summary>
/// <remarks>
/// Training: <c>y = x ⊙ m</c> with <c>m[i] = 0</c> with probability p, else <c>1/(1 − p)</c>, a new mask
/// drawn by every Forward from the layer's seeded random source. Backward: <c>dx = dy ⊙ m</c>, with the
/// same mask. Inference (<c>training = false</c>): <c>y = x</c>, <c>dx = dy</c>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Dropout<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _random;
    private readonly T _keepScale;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private T[] _mask = [];
    private int _maskLength = -1;
    private bool _masked;

    /// <summary>Creates the layer; its masks are drawn from <paramref name="seed"/>.</summary>
    /// <param name="probability">Probability p of zeroing an element, in [0, 1).</param>
    /// <param name="seed">Seed of the masks.</param>
    public Dropout(double probability, int seed) : this(probability, new Random(seed)) => Seed = seed;

    /// <summary>Creates the layer; its masks are drawn from <paramref name="random"/>, which it keeps.</summary>
    /// <param name="probability">Probability p of zeroing an element, in [0, 1).</param>
    /// <param name="random">Source of the masks.</param>
    public Dropout(double probability, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckProbability(probability);
        Probability = probability;
        _random = random;
        _keepScale = T.CreateChecked(1.0 / (1.0 - probability));
    }

    // An inference copy: inference draws no mask, so the copy has a random source of its own.
    private Dropout(Dropout<T> source) : this(source.Probability, new Random(source.Seed ?? 0)) => Seed = source.Seed;

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Dropout<T>(this);

    /// <summary>The probability p of zeroing an element while training.</summary>
    public double Probability { get; }

    /// <summary>
    /// The seed of the masks when the layer was created with one (the builder always gives one); null when
    /// it draws from a <see cref="Random"/> of the caller's. A saved model keeps it, so a loaded network
    /// trained further draws the masks that a freshly built one with this seed would (the sequence starts
    /// again; where the saved layer had got to in it is not stored).
    /// </summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <summary>
    /// When true, training-mode Forward reuses the most recent mask (if it has the same length)
    /// instead of drawing one; finite-difference checks need the function to stay fixed.
    /// </summary>
    internal bool FreezeMask { get; set; }

    /// <summary>The most recent mask (0 or 1/(1 − p) per element); for tests.</summary>
    internal ReadOnlySpan<T> Mask => _mask.AsSpan(0, Math.Max(_maskLength, 0));

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _masked = training && Probability > 0;
        var output = _output.GetLike(input);
        ReadOnlySpan<T> x = input.Span();
        if (!_masked)
        {
            x.CopyTo(output.Span());
            return output;
        }
        if (!(FreezeMask && _maskLength == x.Length)) DrawMask(x.Length);
        TensorPrimitives.Multiply(x, _mask.AsSpan(0, x.Length), output.Span());
        return output;
    }

    // dx = dy ⊙ m while training, dy at inference
    /// <inheritdoc/>
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw new ShapeMismatchException(ToString() + " (backward)", TensorMemory.ShapeText(input.Lengths), outputGradient.Shape());
        var inputGradient = _inputGradient.GetLike(input);
        ReadOnlySpan<T> dy = outputGradient.Span();
        if (_masked) TensorPrimitives.Multiply(dy, _mask.AsSpan(0, dy.Length), inputGradient.Span());
        else dy.CopyTo(inputGradient.Span());
        return inputGradient;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return inputShape.ToArray();
    }

    /// <inheritdoc/>
    public LayerDescription Describe()
    {
        var settings = new Dictionary<string, double> { ["p"] = Probability };
        if (Seed is int seed) settings["seed"] = seed;
        return new("Dropout", settings);
    }

    /// <summary>Prints like <c>Dropout(p=0.5)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"Dropout(p={Probability})");

    internal static void CheckProbability(double probability)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability,
                $"Dropout probability must be in [0, 1), but was {probability.ToString(CultureInfo.InvariantCulture)}.");
    }

    private void DrawMask(int length)
    {
        if (_mask.Length < length) _mask = new T[length];
        for (int i = 0; i < length; i++) _mask[i] = _random.NextDouble() < Probability ? T.Zero : _keepScale;
        _maskLength = length;
    }
}
