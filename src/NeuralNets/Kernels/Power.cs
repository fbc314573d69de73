using System.Globalization;
namespace NeuralNets.Kernels;

/// <summary>
/// Powers in double with the library's own operations, for the optimizers' bias corrections and the learning-rate
/// schedules: the same under every C runtime (<c>Math.Pow</c> comes from the platform's C library).
/// </summary>
internal static class Power
{
    /// <summary>
    /// bʸ for b &gt; 0 as e^{y·ln b} with the library's exponential and logarithm. The relative error grows with
    /// |y·ln b| (an ulp of y·ln b is that many ulp of the result): a few ulp for NAdam's 0.96^{0.004·t}.
    /// </summary>
    public static double Of(double b, double y)
    {
        if (!(b > 0)) throw new ArgumentOutOfRangeException(nameof(b), string.Create(CultureInfo.InvariantCulture, $"The base must be positive, but was {b}."));
        return y == 0 ? 1 : Exponential.Of(y * Logarithm.Of(b));
    }

    /// <summary>
    /// bⁿ for n ≥ 0 by repeated squaring, for a schedule's γ^k: exact wherever the powers are (γ = ½), and otherwise
    /// within about n ulp, since each squaring doubles the relative error before it (fine for the tens of decays of a
    /// schedule; Adam's thousands of steps take <see cref="OneMinus"/>).
    /// </summary>
    public static double OfInteger(double b, long n)
    {
        ArgumentRange.ThrowIfNegative(n);
        double result = 1, square = b;
        while (n != 0)
        {
            if ((n & 1) != 0) result *= square;
            n >>= 1;
            if (n != 0) square *= square;
        }
        return result;
    }

    /// <summary>
    /// 1 − bⁿ for 0 ≤ b ≤ 1 and n ≥ 1 (Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ), as −(e^{n·ln(1 + (b − 1))} − 1) with
    /// the library's ln(1 + y) and eˣ − 1: b − 1 is exact, so the result keeps its relative accuracy (a few ulp) both
    /// at the first steps, where 1 − bⁿ is small, and at the millionth.
    /// </summary>
    public static double OneMinus(double b, long n)
    {
        if (!(b >= 0 && b <= 1)) throw new ArgumentOutOfRangeException(nameof(b), string.Create(CultureInfo.InvariantCulture, $"The base must lie in [0, 1], but was {b}."));
        ArgumentRange.ThrowIfLessThan(n, 1);
        return 0.0 - ExponentialMinusOne.Of(n * LogarithmOfOnePlus.Of(b - 1));   // 0 − x: +0 rather than −0 at b = 1
    }
}
