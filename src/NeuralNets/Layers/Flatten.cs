using System.Globalization;
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

    private bool _passedOn;  // the last forward pass handed the input on to a Dense as it is (ForwardIntoDense)

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1) throw new ShapeMismatchException(ToString(), "[N, ...]", input.Shape());
        _input = input;
        _passedOn = false;
        // A copy into a buffer we own, rather than a view: the returned tensor must stay ours to reuse (a caller of Forward may
        // write to the network's output). Inside a network, a Dense after this layer reads the input itself (ForwardIntoDense).
        var output = _output.Get(input.BatchSize(), [input.SampleSize()]);
        ParallelRanges.Run(new CopyRange(input, output), (int)input.FlattenedLength);
        return output;
    }

    /// <summary>
    /// This layer and the <paramref name="dense"/> layer after it, for <see cref="Sequential{T}"/>: where the input is one dense
    /// row-major block of the Dense's width per sample, the Dense reads it as it is (<see cref="Dense{T}.ForwardUnflattened"/>),
    /// each sample's values in the same order as a flattened copy, and gives its input gradient back in the input's shape,
    /// which <see cref="Backward"/> then hands on as it is: the same values without a copy each way. Otherwise the two layers'
    /// own forward passes. The copy this saves is a pass over the whole batch and a hand-over between cores; the input may be
    /// the caller's own tensor, so only a Dense of ours, which only reads it, gets it.
    /// </summary>
    /// <returns>The Dense's output.</returns>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardIntoDense(Tensor<T> input, Dense<T> dense, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || !TensorMemory.IsDenseRowMajor(input) || input.SampleSize() != dense.Inputs)
            return dense.Forward(Forward(input, training), training);
        var output = dense.ForwardUnflattened(input, training);
        (_input, _passedOn) = (input, true);
        return output;
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        // After ForwardIntoDense the Dense's input gradient comes in the input's shape already.
        if (_passedOn && outputGradient.Lengths.SequenceEqual(input.Lengths)) return outputGradient;
        if (outputGradient.Rank != 2 || outputGradient.Lengths[0] != input.BatchSize() || outputGradient.Lengths[1] != input.SampleSize())
            throw PassShapes.GradientNot(this, outputGradient, input.BatchSize(), input.SampleSize());
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
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"at most {int.MaxValue} values per sample"), inputShape,
                $"{ShapeMismatchException.CountText(size)} values; a flattened sample must fit one row");
        return [(int)size];
    }

    /// <inheritdoc/>
    public LayerDescription Describe() => LayerDescription.Of("Flatten");

    /// <summary>Prints <c>Flatten()</c>.</summary>
    public override string ToString() => "Flatten()";
}
