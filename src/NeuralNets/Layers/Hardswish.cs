using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>Hardswish: <c>x · min(max(x + 3, 0), 6) / 6</c>, as PyTorch's <c>Hardswish()</c> (MobileNetV3's activation).</summary>
/// <remarks>PyTorch's order of operations, so the same bits in float and double; a NaN stays NaN, and −∞ gives NaN
/// (−∞ · 0) as in PyTorch. The gradient is 0 below −3, dy from 3 on and dy · (x/3 + 1/2) between, NaN at a NaN: PyTorch's
/// vectorised kernel (its scalar tail, which takes the last few elements of a tensor, gives 1.5·dy at exactly 3 and dy
/// at a NaN).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Hardswish<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "Hardswish";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => HardActivations.Forward(new HardActivations.Swish<T>(), x, y);

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        HardActivations.Backward(new HardActivations.Swish<T>(), x, dy, dx);
}
