using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// eˣ − 1 in double with the library's own operations, exact near 0 where eˣ − 1 would cancel (ELU's negative side),
/// and the same under every C runtime (<c>double.ExpM1</c> comes from the platform's C library). Within 2 ulp.
/// </summary>
/// <remarks>
/// |x| &lt; ½: the Taylor series x + x²·Q(x), Q = 1/2! + x/3! + … + x¹⁴/16!, with plain multiplies and adds. Above, the
/// library's exponential minus 1: from ½ up there is nothing to cancel, and from −½ down at most one bit.
/// </remarks>
internal static class ExponentialMinusOne
{
    private const double SeriesEnd = 0.5;

    /// <summary>Below this, eˣ &lt; 2⁻⁵⁷ and eˣ − 1 rounds to −1.</summary>
    private const double Floor = -40;

    // 1/k! for k = 2 … 16, the series' coefficients after x.
    private static ReadOnlySpan<double> InverseFactorials =>
    [
        1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800, 1.0 / 87178291200, 1.0 / 1307674368000, 1.0 / 20922789888000,
    ];

    /// <summary>eˣ − 1.</summary>
    [MethodImpl(HotPath.Options)]
    public static double Of(double x)
    {
        if (double.IsNaN(x) || x == 0) return x;   // and −0 stays −0
        if (Math.Abs(x) < SeriesEnd)
        {
            return x + x * x * Polynomial.Evaluate(InverseFactorials, x);
        }
        return x < Floor ? -1 : Exponential.Of(x) - 1;
    }
}
