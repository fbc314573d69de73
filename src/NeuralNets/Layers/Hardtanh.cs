using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>
/// Hardtanh: x clamped to [<see cref="Min"/>, <see cref="Max"/>], as PyTorch's <c>Hardtanh(min_val, max_val)</c>
/// (default [−1, 1]); with [0, 6] it is PyTorch's <c>ReLU6</c> (<see cref="SequentialBuilder{T}.ReLU6"/>), MobileNet's
/// activation.
/// </summary>
/// <remarks>As PyTorch: a NaN stays NaN; the gradient passes strictly between the bounds and is 0 at them and outside.
/// At a NaN input the gradient is 0, as PyTorch's vectorised kernel gives it (its scalar tail, which takes the last few
/// elements of a tensor, lets it through).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Hardtanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly HardActivations.Clamp<T> _clamp;

    /// <summary>Creates the layer.</summary>
    /// <param name="min">The lower bound; finite.</param>
    /// <param name="max">The upper bound; finite and above <paramref name="min"/>.</param>
    public Hardtanh(double min = -1, double max = 1)
    {
        CheckBounds(min, max);
        (Min, Max) = (min, max);
        _clamp = new HardActivations.Clamp<T>(T.CreateChecked(min), T.CreateChecked(max));
    }

    /// <summary>Throws unless <paramref name="min"/> and <paramref name="max"/> are finite and <paramref name="min"/> &lt; <paramref name="max"/>.</summary>
    internal static void CheckBounds(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(min < max))
            throw new ArgumentOutOfRangeException(nameof(max), string.Create(CultureInfo.InvariantCulture,
                $"Hardtanh's bounds must be finite with min below max, but were min {min} and max {max}."));
    }

    /// <summary>The lower bound.</summary>
    public double Min { get; }

    /// <summary>The upper bound.</summary>
    public double Max { get; }

    /// <inheritdoc/>
    public override string Kind => "Hardtanh";

    /// <inheritdoc/>
    protected override bool SplitsAcrossThreads { [MethodImpl(HotPath.Options)] get => true; }

    /// <inheritdoc/>
    internal override bool DifferentiatesFromInput => true;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => HardActivations.Forward(_clamp, x, y);

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        HardActivations.Backward(_clamp, x, dy, dx);

    /// <inheritdoc/>
    public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["min"] = Min, ["max"] = Max });
}
