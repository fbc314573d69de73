using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets;

/// <summary>The logistic function σ(x) = 1 / (1 + e^(−x)), elementwise.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    internal override bool SplitsAcrossThreads => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.Sigmoid(x, y);
        // σ(x) is subnormal for x in about (−104, −87) in float; keep those out of the backward pass.
        Elementwise.FlushSubnormals(y);
    }

    // σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.SigmoidBackward(y, dy, dx);
}
