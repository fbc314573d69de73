using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The natural logarithm with the library's own operations, so that a loss's value is the same on every CPU and
/// C runtime (the runtime's <c>Math.Log</c> comes from the platform's C library). Losses take a logarithm per sample,
/// not per element; a batch's take the vector form (Logarithm.Vector.cs), which gives the same bits. Within about 2 ulp in double; float is the double result rounded.
/// </summary>
/// <remarks>
/// x = 2^e · m with m in [√½, √2), then ln m = 2 atanh(f / (2 + f)) for f = m − 1, as the odd series
/// 2s + 2s³/3 + 2s⁵/5 + … in s = f / (2 + f) (|s| ≤ 0.172, so 12 terms reach double precision), and
/// ln x = e·ln 2 + ln m with ln 2 in two parts. Zero, negative, infinite, NaN and subnormal inputs are handled first.
/// </remarks>
internal static partial class Logarithm
{
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>ln x.</summary>
    [MethodImpl(HotPath.Options)]
    public static T Of<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(Of(double.CreateTruncating(x)));

    /// <summary>ln x in double.</summary>
    [MethodImpl(HotPath.Options)]
    public static double Of(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int scale = 0;
        if (x < 2.2250738585072014e-308)
        {
            x *= 18014398509481984.0;   // 2^54: a subnormal becomes normal, exactly
            scale = -54;
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)(bits >> 52) - 1023 + scale;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }
        double f = m - 1;
        double s = f / (2 + f), z = s * s;
        double series = 1.0 / 23;
        for (int k = 21; k >= 3; k -= 2) series = Math.FusedMultiplyAdd(series, z, 1.0 / k);
        // 2s + 2s·z·(1/3 + z/5 + …)
        double lnM = Math.FusedMultiplyAdd(2 * s * z, series, 2 * s);
        return Math.FusedMultiplyAdd(e, Ln2High, Math.FusedMultiplyAdd(e, Ln2Low, lnM));
    }
}
