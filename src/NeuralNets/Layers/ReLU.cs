using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>The rectified linear unit max(x, 0), elementwise. Its derivative at 0 is taken as 0, as in PyTorch.</summary>
/// <remarks>
/// NaN propagates as in PyTorch: relu(NaN) = NaN, so a NaN weight or input is never hidden behind the unit. The
/// backward pass is PyTorch's <c>threshold_backward(dy, y, 0)</c>, <c>dx = y ≤ 0 ? 0 : dy</c>, which passes dy at a NaN.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "ReLU";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
        => Elementwise.ZeroUnlessPositive(x, x, y);

    // relu′ = 0 where y ≤ 0, else 1 (taken from y as PyTorch does: where y is NaN, dy passes)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.ZeroUnlessPositive(y, dy, dx);
}
