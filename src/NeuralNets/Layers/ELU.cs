using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>ELU: <c>x</c> for x &gt; 0, <c>α(eˣ − 1)</c> otherwise, as PyTorch's <c>ELU(alpha)</c> (default α = 1).</summary>
/// <remarks>Double computes the formula element by element in double; float runs a vectorised kernel (the library's
/// exponential, and its polynomial for eˣ − 1 near 0) with α rounded to float, the same bits at every vector width and
/// within a few ulp of the double formula.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ELU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The value the output tends to for very negative inputs is −α; must be finite and non-negative.</param>
    public ELU(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha) || alpha < 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), string.Create(CultureInfo.InvariantCulture, $"ELU alpha must be finite and non-negative, but was {alpha}."));
        Alpha = alpha;
    }

    /// <summary>The scale α of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override string Kind => "ELU";

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
            FloatActivations.Forward(new EluForward((float)Alpha), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            // eˣ − 1 as its own function keeps the small negative outputs exact where eˣ − 1 would cancel.
            y[i] = v > 0 ? x[i] : T.CreateTruncating(Alpha * ExponentialMinusOne.Of(v));
        }
    }

    // f′(x) = 1 for x > 0, α·eˣ otherwise (NaN passes the gradient times NaN, as in PyTorch).
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            FloatActivations.Backward(new EluBackward((float)Alpha), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            dx[i] = v > 0 ? dy[i] : T.CreateTruncating(double.CreateTruncating(dy[i]) * Alpha * Exponential.Of(v));
        }
    }

    /// <inheritdoc/>
    public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["alpha"] = Alpha });
}
