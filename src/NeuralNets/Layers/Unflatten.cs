using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Splits one axis of every sample into several, as PyTorch's <c>nn.Unflatten(dim, unflattened_size)</c>:
/// <c>Unflatten(1, [128, 7, 7])</c> turns <c>[N, 6272]</c> into <c>[N, 128, 7, 7]</c>, so that a
/// <see cref="Dense{T}"/> can feed a <see cref="ConvTranspose2D{T}"/> (a generator's first step).
/// </summary>
/// <remarks>
/// Values are not changed, only their shape (row-major order is kept); Backward gives the gradient the input's shape back.
/// <see cref="Dimension"/> counts the batch axis, as in PyTorch: 1 is a sample's first axis, −1 its last; the batch
/// axis itself (0) cannot be split.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Unflatten<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name of the list setting that holds <see cref="UnflattenedSize"/> in a layer's description.</summary>
    public const string UnflattenedSizeSetting = "unflattenedSize";

    private readonly int[] _sizes;
    private readonly int _product;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private int[] _lastSampleShape = [];
    private int[] _lastOutputShape = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="dimension">The axis to split, counting the batch axis as 0 (PyTorch's <c>dim</c>); negative counts from the end.</param>
    /// <param name="unflattenedSize">The lengths the axis becomes; their product must equal the axis's length.</param>
    public Unflatten(int dimension, IReadOnlyList<int> unflattenedSize)
    {
        if (dimension == 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), "Unflatten cannot split the batch axis (dim 0); use 1 for a sample's first axis.");
        int product = SampleLengths.Count("Unflatten", unflattenedSize, nameof(unflattenedSize));
        Dimension = dimension;
        _sizes = [.. unflattenedSize];
        _product = product;
    }

    /// <summary>The axis that is split, counting the batch axis as 0; negative counts from the end.</summary>
    public int Dimension { get; }

    /// <summary>The lengths the axis becomes.</summary>
    public IReadOnlyList<int> UnflattenedSize => _sizes;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Unflatten<T>(Dimension, _sizes);

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2) throw new ShapeMismatchException(ToString(), "[N, ...]", input.Shape());
        var shape = input.Shape();
        if (!shape.AsSpan(1).SequenceEqual(_lastSampleShape))
        {
            _lastOutputShape = [.. OutputShape(shape[1..])];
            _lastSampleShape = shape[1..];
        }
        _input = input;
        // A copy into a buffer we own, rather than a view: the returned tensor must stay ours to reuse.
        var output = _output.Get(input.BatchSize(), _lastOutputShape);
        ParallelRanges.Run(new CopyRange(input, output), (int)input.FlattenedLength);
        return output;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        if (outputGradient.Rank != _lastOutputShape.Length + 1 || outputGradient.Lengths[0] != input.Lengths[0]
            || !SameSampleShape(outputGradient.Lengths, _lastOutputShape))
            throw GradientDoesNotFit(input, outputGradient);
        var inputGradient = _inputGradient.GetLike(input);
        ParallelRanges.Run(new CopyRange(outputGradient, inputGradient), (int)outputGradient.FlattenedLength);
        return inputGradient;
    }

    // Built apart, so that the backward pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException GradientDoesNotFit(Tensor<T> input, Tensor<T> outputGradient) =>
        new(ToString() + " (backward)", ShapeMismatchException.Format([input.BatchSize(), .. _lastOutputShape]), outputGradient.Shape());

    private static bool SameSampleShape(ReadOnlySpan<nint> lengths, int[] sampleShape)
    {
        for (int i = 0; i < sampleShape.Length; i++)
            if (lengths[i + 1] != sampleShape[i]) return false;
        return true;
    }

    private readonly struct CopyRange(Tensor<T> source, Tensor<T> destination) : IRangeOperation
    {
        public void Run(int start, int length) => source.Span().Slice(start, length).CopyTo(destination.Span().Slice(start, length));
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int axis = SampleAxis(inputShape.Count);
        if (axis < 0 || axis >= inputShape.Count)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"samples with an axis {Dimension} (counting the batch as 0)"), inputShape,
                string.Create(CultureInfo.InvariantCulture, $"a sample of rank {inputShape.Count} has axes 1 to {inputShape.Count}"));
        if (inputShape[axis] != _product)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"{_product} values along axis {Dimension}"), inputShape,
                string.Create(CultureInfo.InvariantCulture, $"{ShapeMismatchException.Format(_sizes)} holds {_product}, the axis {inputShape[axis]}"));
        return [.. inputShape.Take(axis), .. _sizes, .. inputShape.Skip(axis + 1)];
    }

    // The axis within a sample: PyTorch's dim counts the batch, and a negative dim counts back from the last axis.
    private int SampleAxis(int sampleRank) => Dimension > 0 ? Dimension - 1 : sampleRank + Dimension;

    /// <inheritdoc/>
    public LayerDescription Describe() =>
        new("Unflatten", new Dictionary<string, double> { ["dim"] = Dimension })
        {
            ListSettings = new Dictionary<string, IReadOnlyList<int>> { [UnflattenedSizeSetting] = _sizes },
        };

    /// <summary>Prints like PyTorch: <c>Unflatten(dim=1, unflattened_size=[128, 7, 7])</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Unflatten(dim={Dimension}, unflattened_size={ShapeMismatchException.Format(_sizes)})");
}
