using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>The hyperbolic tangent, elementwise.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "Tanh";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);

    // tanh′(x) = 1 − tanh²(x) = 1 − y²
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.TanhBackward(y, dy, dx);
}
