using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>SiLU (swish): <c>x·σ(x)</c>, as PyTorch's <c>SiLU()</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SiLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Kind => "SiLU";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(v / (1 + Math.Exp(-v)));
        }
    }

    // f′(x) = σ(x)·(1 + x·(1 − σ(x))).
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double s = 1 / (1 + Math.Exp(-v));
            dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * s * (1 + v * (1 - s)));
        }
    }
}
