using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>Hardsigmoid: <c>min(max(x + 3, 0), 6) / 6</c>, as PyTorch's <c>Hardsigmoid()</c> (MobileNetV3's gate).</summary>
/// <remarks>PyTorch's order of operations, so the same bits in float and double; a NaN stays NaN. The gradient is
/// dy/6 strictly inside (−3, 3) and 0 elsewhere and at a NaN; as in PyTorch, "/6" is a product with 1/6 rounded to
/// float, in double too (a relative difference of 3e-8 from the exact slope, which PyTorch's double results carry).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Hardsigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "Hardsigmoid";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => HardActivations.Forward(new HardActivations.Sigmoid<T>(), x, y);

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        HardActivations.Backward(new HardActivations.Sigmoid<T>(), x, dy, dx);
}
