using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// tanh in double with the library's own operations (its exponential, a fixed series), so that a double network's
/// <c>Tanh</c> and tanh-form <c>GELU</c> give the same values on every CPU of a numeric family and under every C runtime
/// (<c>Math.Tanh</c> comes from the platform's C library, which may round a last bit differently on another OS or on
/// ARM64). Within 2 ulp of the exact tanh (measured against a 60-digit reference); odd, and exactly ±1 from |x| = 19.1.
/// </summary>
/// <remarks>
/// |x| &lt; ½: the Taylor series x + x·z·P(z) with z = x², P holding the coefficients 2²ⁿ(2²ⁿ − 1)B₂ₙ/(2n)! for n = 2 … 18,
/// enough for double precision at ½ (the terms shrink by at most (2x/π)² ≈ 0.1 each). Above: 1 − 2/(e^{2|x|} + 1), with
/// the sign of x; at ½ the subtraction cancels at most one bit. Plain multiplies and adds (never fused), so the series is
/// the same on every CPU; the exponential follows the numeric family (<see cref="Exponential.Of(double)"/>).
/// </remarks>
internal static class DoubleTanh
{
    private const double SeriesEnd = 0.5;

    /// <summary>Beyond this, 2/(e^{2|x|} + 1) &lt; 2⁻⁵⁴ and tanh rounds to ±1.</summary>
    private const double Saturation = 19.1;

    // The Taylor coefficients of tanh from x³ on: −1/3, 2/15, −17/315, 62/2835, …, rounded to double.
    private static ReadOnlySpan<double> Series =>
    [
        -0.3333333333333333, 0.13333333333333333, -0.05396825396825397, 0.021869488536155203, -0.008863235529902197,
        0.003592128036572481, -0.0014558343870513183, 0.000590027440945586, -0.00023912911424355248, 9.691537956929451e-05,
        -3.927832388331683e-05, 1.5918905069328964e-05, -6.451689215655431e-06, 2.6147711512907546e-06, -1.0597268320104654e-06,
        4.294911078273806e-07, -1.7406618963571648e-07,
    ];

    /// <summary>tanh x.</summary>
    [MethodImpl(HotPath.Options)]
    public static double Of(double x)
    {
        // NaN and ±0 come back as they are (the series would turn −0 into +0).
        if (double.IsNaN(x) || x == 0) return x;
        double a = Math.Abs(x);
        if (a < SeriesEnd)
        {
            double z = x * x;
            return x + x * (z * Polynomial.Evaluate(Series, z));
        }
        if (a > Saturation) return Math.CopySign(1.0, x);
        return Math.CopySign(1 - 2 / (Exponential.Of(2 * a) + 1), x);
    }
}
