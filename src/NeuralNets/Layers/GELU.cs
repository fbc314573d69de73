using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using System.Runtime.CompilerServices;

namespace NeuralNets.Layers;

/// <summary>
/// GELU, <c>x·Φ(x)</c> with Φ the standard normal distribution function: PyTorch's <c>GELU()</c>, the exact erf form
/// <c>½x(1 + erf(x/√2))</c> by default, or its <c>approximate='tanh'</c> form <c>½x(1 + tanh(√(2/π)(x + 0.044715x³)))</c>.
/// </summary>
/// <remarks>Double computes either form element by element in double, with the library's own erf and tanh
/// (<c>Kernels/ErrorFunction.cs</c>, <c>Kernels/DoubleTanh.cs</c>), the same under every C runtime. Float runs a
/// vectorised kernel built on the library's exponential: the erf form as x·Φ(x) with Φ from e^(−x²/2) and a Chebyshev
/// series of Mills' ratio (within 6 ulp), the tanh form as x·σ(2u) (within 4 ulp); the same bits at every vector width,
/// measured against the exact function (results below the smallest normal float flushed to zero).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class GELU<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Cubic = 0.044715;
    private static readonly double InverseSqrt2 = 1 / Math.Sqrt(2);
    private static readonly double InverseSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);
    private static readonly double Sqrt2OverPi = Math.Sqrt(2 / Math.PI);

    /// <summary>Creates the layer.</summary>
    /// <param name="tanhApproximation">True for PyTorch's <c>approximate='tanh'</c>; false (the default) for the exact erf form.</param>
    public GELU(bool tanhApproximation = false) => TanhApproximation = tanhApproximation;

    /// <summary>Whether the tanh approximation is used instead of the exact erf form.</summary>
    public bool TanhApproximation { get; }

    /// <inheritdoc/>
    public override string Kind => "GELU";

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
            if (TanhApproximation) FloatActivations.Forward(new GeluTanhForward(), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            else FloatActivations.Forward(new GeluErfForward(), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(TanhApproximation
                ? 0.5 * v * (1 + DoubleTanh.Of(Sqrt2OverPi * (v + Cubic * v * v * v)))
                : 0.5 * v * (1 + ErrorFunction.Of(v * InverseSqrt2)));
        }
    }

    // Exact: f′(x) = Φ(x) + x·φ(x). Tanh form: with t = tanh(u), u = √(2/π)(x + 0.044715x³),
    // f′(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> input = MemoryMarshal.Cast<T, float>(x), gradient = MemoryMarshal.Cast<T, float>(dy);
            Span<float> target = MemoryMarshal.Cast<T, float>(dx);
            if (TanhApproximation) FloatActivations.Backward(new GeluTanhBackward(), input, gradient, target);
            else FloatActivations.Backward(new GeluErfBackward(), input, gradient, target);
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double slope;
            if (TanhApproximation)
            {
                double t = DoubleTanh.Of(Sqrt2OverPi * (v + Cubic * v * v * v));
                slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Sqrt2OverPi * (1 + 3 * Cubic * v * v);
            }
            else
            {
                slope = 0.5 * (1 + ErrorFunction.Of(v * InverseSqrt2)) + v * InverseSqrt2Pi * Exponential.Of(-0.5 * v * v);
            }
            dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * slope);
        }
    }

    /// <inheritdoc/>
    public override LayerDescription Describe() =>
        new(Kind, new Dictionary<string, double> { ["tanhApproximation"] = TanhApproximation ? 1 : 0 });
}
