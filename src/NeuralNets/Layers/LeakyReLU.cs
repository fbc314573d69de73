using System.Globalization;
using System.Numerics;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise (PyTorch's <c>negative_slope</c>, default 0.01).</summary>
/// <remarks>
/// PyTorch's kernels exactly: forward <c>x &gt; 0 ? x : slope·x</c>, so NaN gives NaN (and, with slope 0, −∞ gives NaN,
/// as 0·−∞ does there too); backward <c>x &gt; 0 ? dy : slope·dy</c>, so the gradient at a NaN input is slope·dy.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LeakyReLU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="slope">The slope for negative inputs; must be finite and non-negative.</param>
    public LeakyReLU(double slope = 0.01)
    {
        if (!double.IsFinite(slope) || slope < 0)
            throw new ArgumentOutOfRangeException(nameof(slope), string.Create(CultureInfo.InvariantCulture, $"LeakyReLU slope must be finite and non-negative, but was {slope}."));
        Slope = slope;
        _slope = T.CreateChecked(slope);
    }

    private readonly T _slope;

    /// <summary>The slope for negative inputs.</summary>
    public double Slope { get; }

    /// <inheritdoc/>
    public override string Kind => "LeakyReLU";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
        => Elementwise.SelectPositive(x, x, x, _slope, y);

    // f′(x) = 1 if x > 0 else slope
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        => Elementwise.SelectPositive(x, dy, dy, _slope, dx);

    /// <inheritdoc/>
    public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["slope"] = Slope });
}
