using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Softmax over the features of each sample: <c>y_i = e^(x_i − max x) / Σ_j e^(x_j − max x)</c>.
/// For training a classifier prefer <see cref="SoftmaxCrossEntropy{T}"/> on raw logits: it is fused and stable.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Softmax<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _features = 1;

    /// <inheritdoc/>
    public override string Kind => "Softmax";

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
            var yRow = y.Slice(start, _features);
            // Shift by the maximum so that no exponent overflows.
            TensorPrimitives.Subtract(x.Slice(start, _features), TensorPrimitives.Max(x.Slice(start, _features)), yRow);
            Exponential.Compute<T>(yRow, yRow);
            TensorPrimitives.Divide(yRow, FixedSum.Sum<T>(yRow), yRow);
        }
    }

    // dx_i = y_i (dy_i − Σ_j dy_j y_j)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int start = 0; start < x.Length; start += _features)
        {
            var yRow = y.Slice(start, _features);
            var dyRow = dy.Slice(start, _features);
            var dxRow = dx.Slice(start, _features);
            T weighted = FixedSum.Dot<T>(dyRow, yRow);
            TensorPrimitives.Subtract(dyRow, weighted, dxRow);
            TensorPrimitives.Multiply(dxRow, yRow, dxRow);
        }
    }
}
