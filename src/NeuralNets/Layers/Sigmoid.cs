using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets;

/// <summary>The logistic function σ(x) = 1 / (1 + e^(−x)), elementwise.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);

    // σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * y[i] * (T.One - y[i]);
    }
}
