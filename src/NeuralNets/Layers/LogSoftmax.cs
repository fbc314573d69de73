using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// The logarithm of <see cref="Softmax{T}"/> over the features of each sample, as PyTorch's <c>nn.LogSoftmax(dim=1)</c>:
/// <c>y_i = (x_i − max x) − log Σ_j e^(x_j − max x)</c>, finite where softmax's probabilities would round to 0.
/// Followed by <see cref="NegativeLogLikelihood{T}"/> it is <see cref="SoftmaxCrossEntropy{T}"/> in two steps, as
/// PyTorch's MNIST example writes its classifier (<c>log_softmax</c>, then <c>nll_loss</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LogSoftmax<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _features = 1;

    /// <inheritdoc/>
    public override string Kind => "LogSoftmax";

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public override Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _features = input.Rank < 2 ? checked((int)input.FlattenedLength) : input.SampleSize();
        return base.Forward(input, training);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
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

    // dx_i = dy_i − softmax(x)_i · Σ_j dy_j, with softmax(x) = e^y
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
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
}
