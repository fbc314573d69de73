using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets;

/// <summary>The rectified linear unit max(x, 0), elementwise. Its derivative at 0 is taken as 0, as in PyTorch.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    internal override bool SplitsAcrossThreads => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
        => Elementwise.SelectPositive(x, x, x, T.Zero, y);

    // relu′(x) = 1 if x > 0 else 0
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.SelectPositive(x, dy, dy, T.Zero, dx);
}
