using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Data;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Inverted dropout, as PyTorch's <c>nn.Dropout</c>: while training each element is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so that inference needs no rescaling
/// and is the identity.
/// </summary>
/// <remarks>
/// Training: <c>y = x ⊙ m</c> with <c>m[i] = 0</c> with probability p, else <c>1/(1 − p)</c>, a new mask
/// drawn by every Forward. Backward: <c>dx = dy ⊙ m</c>, with the same mask. Inference (<c>training = false</c>):
/// <c>y = x</c>, <c>dx = dy</c>.
/// Mask n (0-based) is drawn from a random stream keyed by (<see cref="Seed"/>, n), so the layer's random state is the
/// number of masks drawn, <see cref="RandomPosition"/>: a checkpoint saves it, and a resumed run draws the masks an
/// uninterrupted one would.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Dropout<T> : ILayer<T>, IRandomStreamLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    // Sets the masks' streams apart from the shuffle's and augmentation's, which share the key space.
    private const int MaskStream = int.MinValue;
    private readonly T _keepScale;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private T[] _mask = [];
    private int _maskLength = -1;
    private bool _masked;
    private long _position;

    /// <summary>Creates the layer; its masks are drawn from streams keyed by <paramref name="seed"/>.</summary>
    /// <param name="probability">Probability p of zeroing an element, in [0, 1).</param>
    /// <param name="seed">Seed of the masks.</param>
    public Dropout(double probability, int seed)
    {
        CheckProbability(probability);
        Probability = probability;
        Seed = seed;
        _keepScale = T.CreateChecked(1.0 / (1.0 - probability));
    }

    /// <inheritdoc/>
    /// <remarks>The copy starts at mask 0; inference draws no mask.</remarks>
    public ILayer<T> CreateInferenceCopy() => new Dropout<T>(Probability, Seed);

    /// <summary>The probability p of zeroing an element while training.</summary>
    public double Probability { get; }

    /// <summary>
    /// The seed of the masks (the builder derives one from the build's seed). A saved model keeps it, so a loaded
    /// network trained further draws the masks a freshly built one with this seed would; a checkpoint also keeps
    /// <see cref="RandomPosition"/>, so a resumed run continues the sequence where it stopped.
    /// </summary>
    public int Seed { get; }

    /// <summary>The number of masks drawn so far: the next training Forward draws mask number <see cref="RandomPosition"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public long RandomPosition
    {
        get => _position;
        set
        {
            ArgumentRange.ThrowIfNegative(value);
            _position = value;
        }
    }

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
    [MethodImpl(HotPath.Options)]
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
        if (FreezeMask && _maskLength == x.Length)
        {
            Elementwise.Multiply<T>(x, _mask.AsSpan(0, x.Length), output.Span());
            return output;
        }
        if (_mask.Length < x.Length) _mask = new T[x.Length];
        _maskLength = x.Length;
        // Each element's draw is the same whatever range it falls in, so the mask can be drawn on several cores; the draws,
        // a few nanoseconds each, pay for the hand-over from a few thousand elements.
        var random = new SampleRandom(Seed, MaskStream, _position++);
        ParallelRanges.Run(new MaskRange(this, random.Start, SampleRandom.Below(Probability), input, output), x.Length,
            ParallelRanges.PartsForRowsInPlace(x.Length));
        return output;
    }

    // dx = dy ⊙ m while training, dy at inference
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw PassShapes.GradientNotLikeInput(this, input, outputGradient);
        var inputGradient = _inputGradient.GetLike(input);
        ReadOnlySpan<T> dy = outputGradient.Span();
        if (_masked) Elementwise.Multiply<T>(dy, _mask.AsSpan(0, dy.Length), inputGradient.Span());
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
        settings["seed"] = Seed;
        return new("Dropout", settings);
    }

    /// <summary>Prints like <c>Dropout(p=0.5)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"Dropout(p={Probability})");

    internal static void CheckProbability(double probability)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), $"Dropout probability must be in [0, 1), but was {probability.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>
    /// The mask over one range, each element dropped when its draw's uniform is below the probability (the integer form of the
    /// comparison: <see cref="SampleRandom.Below"/>), and the output there: the input times the mask.
    /// </summary>
    private readonly struct MaskRange(Dropout<T> layer, ulong start, ulong below, Tensor<T> input, Tensor<T> output) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int first, int length)
        {
            var mask = layer._mask.AsSpan(first, length);
            // Indexed by whether the element is kept: no branch on a coin flip.
            Span<T> values = [T.Zero, layer._keepScale];
            for (int i = 0; i < mask.Length; i++) mask[i] = values[(SampleRandom.DrawAt(start, first + i) >> 11) >= below ? 1 : 0];
            Elementwise.Multiply<T>(input.Span().Slice(first, length), mask, output.Span().Slice(first, length));
        }
    }
}
