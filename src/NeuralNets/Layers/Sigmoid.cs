using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>The logistic function σ(x) = 1 / (1 + e^(−x)), elementwise.</summary>
/// <remarks>
/// In float, σ is computed with the library's own vectorised exponential, within 4 ulp of the exact
/// value (tested over the whole range); in double, as 1 / (1 + e^(−x)) with the library's own exponential.
/// Both compute the same values on every CPU of one numeric family (with a hardware FMA: x86-64 with AVX2 or
/// AVX-512, every ARM64; without one: older x86, WebAssembly) and every vector width. Results below
/// the smallest normal number are flushed to zero in both, so that saturated units never feed
/// subnormals to the backward pass.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "Sigmoid";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        // float: our own exponential, half the cost of TensorPrimitives' (which works in double), within 4 ulp.
        if (typeof(T) == typeof(float))
        {
            FloatSigmoid.Compute(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        Exponential.Sigmoid(x, y);
        // σ(x) is subnormal for x in about (−745, −708) in double; keep those out of the backward pass.
        Elementwise.FlushSubnormals(y);
    }

    // σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.SigmoidBackward(y, dy, dx);
}
