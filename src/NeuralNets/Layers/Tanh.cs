using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>The hyperbolic tangent, elementwise.</summary>
/// <remarks>Float runs a vectorised kernel with the library's exponential (<c>Kernels/FloatTanh.cs</c>), within 2 ulp of
/// the exact tanh and the same bits at every vector width. Double runs the library's own scalar tanh
/// (<c>Kernels/DoubleTanh.cs</c>: a series below ½, its exponential above), within 2 ulp, one routine whatever the vector
/// width and the same under every C runtime, where <see cref="Math.Tanh"/> may round a last bit differently on another OS
/// or on ARM64.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "Tanh";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            FloatActivations.Forward(new TanhForward(), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        Scalar(x, y);
    }

    [MethodImpl(HotPath.Options)]
    private static void Scalar(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(DoubleTanh.Of(double.CreateTruncating(x[i])));
    }

    // tanh′(x) = 1 − tanh²(x) = 1 − y²
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.TanhBackward(y, dy, dx);
}
