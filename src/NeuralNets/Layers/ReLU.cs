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

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    // relu′ = 0 where y ≤ 0, else 1 (PyTorch's rule: where y is NaN, dy passes). y ≤ 0 exactly where x ≤ 0 (y = x where
    // x > 0 or x is NaN, 0 elsewhere), so it is read from x: a layer that applies the ReLU for it need not keep y.
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.ZeroUnlessPositive(x, dy, dx);
}
