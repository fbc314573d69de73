using System.Numerics;

namespace NeuralNets;

/// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise (PyTorch's <c>negative_slope</c>, default 0.01).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LeakyReLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="slope">The slope for negative inputs; must be finite and non-negative.</param>
    public LeakyReLU(double slope = 0.01)
    {
        if (!double.IsFinite(slope) || slope < 0)
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "LeakyReLU slope must be finite and non-negative.");
        Slope = slope;
        _slope = T.CreateChecked(slope);
    }

    private readonly T _slope;

    /// <summary>The slope for negative inputs.</summary>
    public double Slope { get; }

    /// <inheritdoc/>
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = x[i] > T.Zero ? x[i] : _slope * x[i];
    }

    // f′(x) = 1 if x > 0 else slope
    /// <inheritdoc/>
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > T.Zero ? dy[i] : _slope * dy[i];
    }

    /// <inheritdoc/>
    public override LayerDescription Describe() => new("LeakyReLU", new Dictionary<string, double> { ["slope"] = Slope });
}
