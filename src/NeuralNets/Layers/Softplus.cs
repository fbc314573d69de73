using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>
/// Softplus, <c>log(1 + e^(βx))/β</c>, and <c>x</c> itself where <c>βx &gt; threshold</c>: PyTorch's
/// <c>Softplus(beta=1, threshold=20)</c>, where the linear part stands in for a function already within 2e-9 of it.
/// </summary>
/// <remarks>Double computes the formula element by element in double; float runs a vectorised kernel with β and the
/// threshold rounded to float (βx, and the comparison with the threshold, in float), the same bits at every vector width
/// and within a few ulp of the double formula for β = 1.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Softplus<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="beta">The sharpness β; finite and positive.</param>
    /// <param name="threshold">Above this value of βx the output is x; finite.</param>
    public Softplus(double beta = 1.0, double threshold = 20.0)
    {
        if (!double.IsFinite(beta) || beta <= 0)
            throw new ArgumentOutOfRangeException(nameof(beta), string.Create(CultureInfo.InvariantCulture, $"Softplus beta must be finite and positive, but was {beta}."));
        if (!double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), string.Create(CultureInfo.InvariantCulture, $"Softplus threshold must be finite, but was {threshold}."));
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>The sharpness β.</summary>
    public double Beta { get; }

    /// <summary>The value of βx above which the output is x.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public override string Kind => "Softplus";

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
            FloatActivations.Forward(new SoftplusForward((float)Beta, (float)Threshold), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double scaled = double.CreateTruncating(x[i]) * Beta;
            y[i] = scaled > Threshold ? x[i] : T.CreateTruncating(LogarithmOfOnePlus.Of(Exponential.Of(scaled)) / Beta);
        }
    }

    // f′(x) = σ(βx) below the threshold, 1 above it.
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            FloatActivations.Backward(new SoftplusBackward((float)Beta, (float)Threshold), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double scaled = double.CreateTruncating(x[i]) * Beta;
            if (scaled > Threshold) { dx[i] = dy[i]; continue; }
            double z = Exponential.Of(scaled);
            dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * z / (z + 1));
        }
    }

    /// <inheritdoc/>
    public override LayerDescription Describe() =>
        new(Kind, new Dictionary<string, double> { ["beta"] = Beta, ["threshold"] = Threshold });
}
