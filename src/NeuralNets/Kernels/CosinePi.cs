using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// cos(πx) and sin(πx) in double with the library's own operations, for the normal samplers' cos 2πu, the cosine
/// schedules and the synthetic datasets' angles (all naturally in turns):
/// the same under every C runtime (<c>Math.Cos</c> comes from the platform's C library). Within 1.2e-16 of the exact
/// value (absolute).
/// </summary>
/// <remarks>
/// The reduction is exact: x mod 2 and then the nearest half (for |x| &lt; 2⁵²), leaving |d| ≤ ¼ and a quadrant; then
/// the Taylor series of sin(πd) to the 19th power or cos(πd) to the 18th, with plain multiplies and adds.
/// </remarks>
internal static class CosinePi
{
    // (−1)ⁿ/(2n + 1)! and (−1)ⁿ/(2n)! for n = 1 … 9.
    private static ReadOnlySpan<double> SineSeries =>
    [
        -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800, 1.0 / 6227020800, -1.0 / 1307674368000,
        1.0 / 355687428096000, -1.0 / 121645100408832000,
    ];

    private static ReadOnlySpan<double> CosineSeries =>
    [
        -1.0 / 2, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600, -1.0 / 87178291200,
        1.0 / 20922789888000, -1.0 / 6402373705728000,
    ];

    /// <summary>cos(πx); NaN for NaN and ±∞, and for |x| ≥ 2⁵² (every such x is an even integer, so 1).</summary>
    [MethodImpl(HotPath.Options)]
    public static double Of(double x)
    {
        if (!double.IsFinite(x)) return double.NaN;
        x = Math.Abs(x);
        if (x >= 4503599627370496.0) return 1;   // 2^52: an even integer
        double r = x - 2 * Math.Floor(x / 2);     // in [0, 2), exactly
        double quadrant = Math.Round(2 * r);      // 0 … 4
        double d = r - quadrant / 2;              // in [−¼, ¼], exactly
        double a = Math.PI * d, z = a * a;
        switch ((int)quadrant & 3)
        {
            case 0: return Cosine(z);
            case 1: return -Sine(a, z);
            case 2: return -Cosine(z);
            default: return Sine(a, z);
        }
    }

    /// <summary>sin(πx) = cos(π(x − ½)): x − ½ is exact below 2⁵², and every double from there on is an integer.</summary>
    public static double SineOf(double x)
    {
        if (!double.IsFinite(x)) return double.NaN;
        return Math.Abs(x) >= 4503599627370496.0 ? 0 : Of(x - 0.5);
    }

    private static double Sine(double a, double z) => a + a * (z * Polynomial.Evaluate(SineSeries, z));

    private static double Cosine(double z) => 1 + z * Polynomial.Evaluate(CosineSeries, z);
}
