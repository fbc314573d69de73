using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// The logarithm of <see cref="Softmax{T}"/> over axis 1, as PyTorch's <c>nn.LogSoftmax(dim=1)</c>: over the features of
/// each sample <c>[N, F]</c>, and over the channels at each position of <c>[N, C, d1, …]</c> (each pixel of an image
/// <c>[N, C, H, W]</c>, for a per-pixel classifier):
/// <c>y_i = (x_i − max x) − log Σ_j e^(x_j − max x)</c>, finite where softmax's probabilities would round to 0.
/// Followed by <see cref="NegativeLogLikelihood{T}"/> it is <see cref="CrossEntropy{T}"/> in two steps (on <c>[N, F]</c>,
/// <see cref="SoftmaxCrossEntropy{T}"/>), as PyTorch's MNIST example writes its classifier (<c>log_softmax</c>, then <c>nll_loss</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LogSoftmax<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _features = 1;
    private int _positions = 1;
    private T[] _scratch = [];  // each position's maximum and sum, for inputs of rank 3 and more

    /// <inheritdoc/>
    public override string Kind => "LogSoftmax";

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public override Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _features = input.Rank < 2 ? checked((int)input.FlattenedLength) : checked((int)input.Lengths[1]);
        _positions = 1;
        for (int axis = 2; axis < input.Rank; axis++) _positions = checked(_positions * (int)input.Lengths[axis]);
        if (_positions > 1 && _scratch.Length < 2 * _positions) _scratch = new T[2 * _positions];
        return base.Forward(input, training);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (_positions > 1)
        {
            ActivateChannels(x, y);
            return;
        }
        for (int start = 0; start < x.Length; start += _features)
        {
            var xRow = x.Slice(start, _features);
            var yRow = y.Slice(start, _features);
            // Shift by the maximum so that no exponent overflows; y holds e^(x − max) until its sum is taken.
            T maximum = TensorPrimitives.Max(xRow);
            TensorPrimitives.Subtract(xRow, maximum, yRow);
            Exponential.Compute<T>(yRow, yRow);
            T logSum = Logarithm.Of(FixedSum.Sum<T>(yRow));
            // (x − max) − log Σ, in PyTorch's order: max + log Σ first would lose the small differences of large logits.
            TensorPrimitives.Subtract(xRow, maximum, yRow);
            TensorPrimitives.Subtract(yRow, logSum, yRow);
        }
    }

    // The same per position of [N, C, d1, …], a channel at a time over all of a sample's positions: each position's
    // maximum and sum still run over the channels in order, and each step is one long vector operation.
    [MethodImpl(HotPath.Options)]
    private void ActivateChannels(ReadOnlySpan<T> x, Span<T> y)
    {
        int positions = _positions, sampleLength = _features * positions;
        var maxima = _scratch.AsSpan(0, positions);
        var logSums = _scratch.AsSpan(positions, positions);
        for (int start = 0; start < x.Length; start += sampleLength)
        {
            var xs = x.Slice(start, sampleLength);
            var ys = y.Slice(start, sampleLength);
            xs[..positions].CopyTo(maxima);
            for (int c = 1; c < _features; c++) TensorPrimitives.Max(maxima, xs.Slice(c * positions, positions), maxima);
            logSums.Clear();
            for (int c = 0; c < _features; c++)
            {
                var yChannel = ys.Slice(c * positions, positions);
                TensorPrimitives.Subtract(xs.Slice(c * positions, positions), maxima, yChannel);
                Exponential.Compute<T>(yChannel, yChannel);
                TensorPrimitives.Add(logSums, yChannel, logSums);
            }
            Logarithm.Compute<T>(logSums, logSums);
            for (int c = 0; c < _features; c++)
            {
                var yChannel = ys.Slice(c * positions, positions);
                TensorPrimitives.Subtract(xs.Slice(c * positions, positions), maxima, yChannel);
                TensorPrimitives.Subtract(yChannel, logSums, yChannel);
            }
        }
    }

    // dx_i = dy_i − softmax(x)_i · Σ_j dy_j, with softmax(x) = e^y
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (_positions > 1)
        {
            DifferentiateChannels(y, dy, dx);
            return;
        }
        for (int start = 0; start < x.Length; start += _features)
        {
            var dyRow = dy.Slice(start, _features);
            var dxRow = dx.Slice(start, _features);
            T sum = FixedSum.Sum<T>(dyRow);
            Exponential.Compute<T>(y.Slice(start, _features), dxRow);
            TensorPrimitives.Multiply(dxRow, sum, dxRow);
            TensorPrimitives.Subtract(dyRow, dxRow, dxRow);
        }
    }

    [MethodImpl(HotPath.Options)]
    private void DifferentiateChannels(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        int positions = _positions, sampleLength = _features * positions;
        var sums = _scratch.AsSpan(0, positions);
        for (int start = 0; start < y.Length; start += sampleLength)
        {
            var dys = dy.Slice(start, sampleLength);
            var dxs = dx.Slice(start, sampleLength);
            dys[..positions].CopyTo(sums);
            for (int c = 1; c < _features; c++) TensorPrimitives.Add(sums, dys.Slice(c * positions, positions), sums);
            for (int c = 0; c < _features; c++)
            {
                var dxChannel = dxs.Slice(c * positions, positions);
                Exponential.Compute<T>(y.Slice(start + c * positions, positions), dxChannel);
                TensorPrimitives.Multiply(dxChannel, sums, dxChannel);
                TensorPrimitives.Subtract(dys.Slice(c * positions, positions), dxChannel, dxChannel);
            }
        }
    }

    /// <inheritdoc/>
    public override ILayer<T>? CreateInferenceCopy()
    {
        var copy = (LogSoftmax<T>)base.CreateInferenceCopy()!;
        copy._scratch = [];
        return copy;
    }
}
