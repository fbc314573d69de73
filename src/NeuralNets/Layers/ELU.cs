using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>ELU: <c>x</c> for x &gt; 0, <c>α(eˣ − 1)</c> otherwise, as PyTorch's <c>ELU(alpha)</c> (default α = 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ELU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The value the output tends to for very negative inputs is −α; must be finite and non-negative.</param>
    public ELU(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha) || alpha < 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ELU alpha must be finite and non-negative.");
        Alpha = alpha;
    }

    /// <summary>The scale α of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override string Kind => "ELU";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads => true;

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            // ExpM1 keeps the small negative outputs exact where eˣ − 1 would cancel.
            y[i] = v > 0 ? x[i] : T.CreateTruncating(Alpha * double.ExpM1(v));
        }
    }

    // f′(x) = 1 for x > 0, α·eˣ otherwise (NaN passes the gradient times NaN, as in PyTorch).
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            dx[i] = v > 0 ? dy[i] : T.CreateTruncating(double.CreateTruncating(dy[i]) * Alpha * Math.Exp(v));
        }
    }

    /// <inheritdoc/>
    public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["alpha"] = Alpha });
}
