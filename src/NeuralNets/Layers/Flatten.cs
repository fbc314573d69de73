using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Flattens every sample to one row: <c>[N, C, H, W]</c> becomes <c>[N, C·H·W]</c>, in row-major
/// order (as PyTorch's <c>nn.Flatten</c>), so that a <see cref="Dense{T}"/> can follow a convolution.
/// </summary>
/// <remarks>Values are not changed, only their shape; Backward gives the gradient the input's shape back.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Flatten<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new Flatten<T>();

    /// <summary>
    /// Set on an inference copy whose next layer is a <see cref="Dense{T}"/> that takes unflattened samples
    /// (<see cref="Dense{T}.TakesUnflattenedInInference"/>; see <see cref="Sequential{T}"/>'s inference copies): inference then
    /// hands on a dense input itself instead of a flattened copy of it.
    /// </summary>
    internal bool PassesInputInInference { get; set; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1) throw new ShapeMismatchException(ToString(), "[N, ...]", input.Shape());
        _input = input;
        // Predict's inference copy passes a dense input on as it is to a Dense, which reads each sample's values in the same
        // row-major order: the copy it saves is a pass over the whole batch (and a hand-over between cores). The caller's own
        // tensor could be written to by a layer of theirs, so only a Dense of ours gets it.
        if (PassesInputInInference && !training && input.Rank >= 2 && TensorMemory.IsDenseRowMajor(input)) return input;
        // Otherwise a copy into a buffer we own, rather than a view: the returned tensor must stay ours to reuse (a caller of
        // Forward may write to the network's output).
        var output = _output.Get(input.BatchSize(), [input.SampleSize()]);
        ParallelRanges.Run(new CopyRange(input, output), (int)input.FlattenedLength);
        return output;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        if (outputGradient.Rank != 2 || outputGradient.Lengths[0] != input.BatchSize() || outputGradient.Lengths[1] != input.SampleSize())
            throw new ShapeMismatchException(ToString() + " (backward)", $"[{input.BatchSize()}, {input.SampleSize()}]", outputGradient.Shape());
        var inputGradient = _inputGradient.GetLike(input);
        ParallelRanges.Run(new CopyRange(outputGradient, inputGradient), (int)outputGradient.FlattenedLength);
        return inputGradient;
    }

    // Each core copies the range it wrote in the layer before, when that layer was split the same way.
    private readonly struct CopyRange(Tensor<T> source, Tensor<T> destination) : IRangeOperation
    {
        public void Run(int start, int length) => source.Span().Slice(start, length).CopyTo(destination.Span().Slice(start, length));
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long size = ShapeMismatchException.ValueCount(inputShape.ToArray());
        if (size > int.MaxValue)
            throw new ShapeMismatchException(ToString(), $"at most {int.MaxValue} values per sample", inputShape,
                $"{ShapeMismatchException.CountText(size)} values; a flattened sample must fit one row");
        return [(int)size];
    }

    /// <inheritdoc/>
    public LayerDescription Describe() => LayerDescription.Of("Flatten");

    /// <summary>Prints <c>Flatten()</c>.</summary>
    public override string ToString() => "Flatten()";
}
