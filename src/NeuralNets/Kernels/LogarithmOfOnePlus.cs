using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// ln(1 + y) in double with the library's own operations, exact for small y where ln(1 + y) would lose y's low bits
/// (Softplus of a very negative input), and the same under every C runtime (<c>double.LogP1</c> comes from the platform's
/// C library). Within 3 ulp.
/// </summary>
/// <remarks>
/// −¼ ≤ y ≤ ½: ln(1 + y) = 2 atanh(s) = 2s + 2s·z·(1/3 + z/5 + … + z¹¹/25) with s = y/(2 + y), z = s² (|s| ≤ ⅕, so the
/// terms fall by 25 each). Elsewhere <see cref="Logarithm.Of(double)"/> of 1 + y, whose rounding costs at most an ulp
/// there. NaN and y &lt; −1 give NaN, −1 gives −∞.
/// </remarks>
internal static class LogarithmOfOnePlus
{
    // 1/(2k + 1) for k = 1 … 12.
    private static ReadOnlySpan<double> InverseOdds =>
    [
        1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25,
    ];

    /// <summary>ln(1 + y).</summary>
    [MethodImpl(HotPath.Options)]
    public static double Of(double y)
    {
        if (double.IsNaN(y) || y == 0) return y;   // and −0 stays −0
        if (y < -1) return double.NaN;
        if (y == -1) return double.NegativeInfinity;
        if (y >= -0.25 && y <= 0.5)
        {
            double s = y / (2 + y), z = s * s;
            return 2 * s + 2 * s * (z * Polynomial.Evaluate(InverseOdds, z));
        }
        return Logarithm.Of(1 + y);
    }
}
