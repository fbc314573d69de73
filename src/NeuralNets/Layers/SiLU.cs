using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>SiLU (swish): <c>x·σ(x)</c>, as PyTorch's <c>SiLU()</c>.</summary>
/// <remarks>Double computes the formula element by element in double; float runs a vectorised kernel with the library's
/// exponential, the same bits at every vector width and within a few ulp of the double formula (results below the
/// smallest normal float flushed to zero).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SiLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "SiLU";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            FloatActivations.Forward(new SiluForward(), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(v / (1 + Exponential.Of(-v)));
        }
    }

    // f′(x) = σ(x)·(1 + x·(1 − σ(x))).
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            FloatActivations.Backward(new SiluBackward(), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double s = 1 / (1 + Exponential.Of(-v));
            dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * s * (1 + v * (1 - s)));
        }
    }
}
