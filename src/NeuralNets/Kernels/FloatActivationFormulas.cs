using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

// The float formulas of SiLU, ELU, Softplus and GELU's tanh form, each beside its derivative, for FloatActivations.
// Each is the layer's double formula rearranged so that no step cancels: x·σ(x) as x/(1 + e^(−x)), 1 − σ as e^(−x)·σ,
// ½(1 + tanh u) as σ(2u), log(1 + u) as 2·atanh(u/(2 + u)).

/// <summary>SiLU: x·σ(x).</summary>
internal readonly struct SiluForward : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (sigma, _, scale) = FloatActivations.Logistic<TL, TV, TM>(x, TL.Splat(0f));
        return TL.Multiply(TL.Multiply(x, sigma), scale);
    }
}

/// <summary>SiLU′: σ(x)·(1 + x·(1 − σ(x))).</summary>
internal readonly struct SiluBackward : IFloatGradientMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (sigma, complement, scale) = FloatActivations.Logistic<TL, TV, TM>(x, TL.Splat(0f));
        return TL.Multiply(TL.Multiply(dy, TL.Multiply(sigma, TL.MultiplyAdd<TM>(x, complement, TL.Splat(1f)))), scale);
    }
}

/// <summary>ELU: x for x &gt; 0, α(e^x − 1) otherwise.</summary>
internal readonly struct EluForward(float alpha) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd =>
        TL.Select(TL.GreaterThan(x, TL.Splat(0f)), x, TL.Multiply(TL.Splat(alpha), FloatActivations.ExpM1<TL, TV, TM>(x)));
}

/// <summary>ELU′: 1 for x &gt; 0, α·e^x otherwise.</summary>
internal readonly struct EluBackward(float alpha) : IFloatGradientMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd =>
        TL.Select(TL.GreaterThan(x, TL.Splat(0f)), dy, TL.Multiply(dy, TL.Multiply(TL.Splat(alpha), TL.Exp<TM>(x))));
}

/// <summary>
/// Softplus: with z = βx, x where z &gt; threshold, else (max(z, 0) + log(1 + e^(−|z|)))/β, the logarithm as
/// 2·atanh(s) = 2s(1 + s²/3 + s⁴/5 + … + s¹⁶/17) with s = u/(2 + u) ≤ 1/3 for u = e^(−|z|) ≤ 1.
/// </summary>
internal readonly struct SoftplusForward(float beta, float threshold) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var z = TL.Multiply(x, TL.Splat(beta));
        var u = TL.Exp<TM>(TL.Negate(TL.Abs(z)));
        var s = TL.Divide(u, TL.Add(TL.Splat(2f), u));
        var w = TL.Multiply(s, s);
        var series = TL.MultiplyAdd<TM>(TL.Splat(1f / 17), w, TL.Splat(1f / 15));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 13));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 11));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 9));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 7));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 5));
        series = TL.MultiplyAdd<TM>(series, w, TL.Splat(1f / 3));
        var twoS = TL.Add(s, s);
        var log = TL.MultiplyAdd<TM>(TL.Multiply(twoS, w), series, twoS);
        var positive = TL.Select(TL.GreaterThan(z, TL.Splat(0f)), z, TL.Splat(0f));
        var soft = TL.Divide(TL.Add(positive, log), TL.Splat(beta));
        return TL.Select(TL.GreaterThan(z, TL.Splat(threshold)), x, soft);
    }
}

/// <summary>Softplus′: σ(βx) below the threshold, 1 above it.</summary>
internal readonly struct SoftplusBackward(float beta, float threshold) : IFloatGradientMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var z = TL.Multiply(x, TL.Splat(beta));
        var (sigma, _, scale) = FloatActivations.Logistic<TL, TV, TM>(z, TL.Splat(0f));
        return TL.Select(TL.GreaterThan(z, TL.Splat(threshold)), dy, TL.Multiply(TL.Multiply(dy, sigma), scale));
    }
}

/// <summary>
/// GELU, tanh form: ½x(1 + tanh u) = x·σ(2u), with 2u = 2√(2/π)·(x + 0.044715x³) carried as a float and its rounding
/// error (products split exactly), because σ(2u) = e^(2u) in the far negative tail magnifies an error in 2u by |2u|.
/// </summary>
internal readonly struct GeluTanhForward : IFloatMap
{
    internal const float Cubic = 0.044715f;
    private const double Linear = 1.5957691216057308;        // 2√(2/π)
    private const double CubicTerm = Linear * 0.044715;
    private const float LinearHigh = (float)Linear, LinearLow = (float)(Linear - LinearHigh);
    private const float CubicHigh = (float)CubicTerm, CubicLow = (float)(CubicTerm - CubicHigh);

    /// <summary>Beyond |x| = 20, σ(2u) is 0 or 1 in float and GELU′ is 0 or 1: x is clamped there (NaN stays) so that x³ cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Clamp<TL, TV>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct =>
        TL.Select(TL.GreaterThan(x, TL.Splat(20f)), TL.Splat(20f), TL.Select(TL.LessThan(x, TL.Splat(-20f)), TL.Splat(-20f), x));

    /// <summary>2u as h + l, for x already <see cref="Clamp"/>ed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TV High, TV Low) TwiceU<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (square, squareError) = FloatActivations.TwoProduct<TL, TV, TM>(x, x);
        var (cube, cubeError) = FloatActivations.TwoProduct<TL, TV, TM>(square, x);
        cubeError = TL.MultiplyAdd<TM>(squareError, x, cubeError);
        var (a, aError) = FloatActivations.TwoProduct<TL, TV, TM>(TL.Splat(LinearHigh), x);
        aError = TL.MultiplyAdd<TM>(TL.Splat(LinearLow), x, aError);
        var (b, bError) = FloatActivations.TwoProduct<TL, TV, TM>(TL.Splat(CubicHigh), cube);
        bError = TL.MultiplyAdd<TM>(TL.Splat(CubicHigh), cubeError, TL.MultiplyAdd<TM>(TL.Splat(CubicLow), cube, bError));
        // Knuth's two-sum of a and b, then the small parts added and the whole renormalised.
        var sum = TL.Add(a, b);
        var bVirtual = TL.Subtract(sum, a);
        var sumError = TL.Add(TL.Subtract(a, TL.Subtract(sum, bVirtual)), TL.Subtract(b, bVirtual));
        sumError = TL.Add(sumError, TL.Add(aError, bError));
        var high = TL.Add(sum, sumError);
        return (high, TL.Subtract(sumError, TL.Subtract(high, sum)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (high, low) = TwiceU<TL, TV, TM>(Clamp<TL, TV>(x));
        var (sigma, _, scale) = FloatActivations.Logistic<TL, TV, TM>(high, low);
        return TL.Multiply(TL.Multiply(x, sigma), scale);
    }
}

/// <summary>GELU′, tanh form: with s = σ(2u), s·(1 + 2x·(1 − s)·√(2/π)(1 + 3·0.044715x²)), with x clamped to ±20 (where it is 0 or 1).</summary>
internal readonly struct GeluTanhBackward : IFloatGradientMap
{
    private const float Sqrt2OverPi = 0.7978845608028654f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        x = GeluTanhForward.Clamp<TL, TV>(x);
        var (high, low) = GeluTanhForward.TwiceU<TL, TV, TM>(x);
        var (s, complement, scale) = FloatActivations.Logistic<TL, TV, TM>(high, low);
        var du = TL.Multiply(TL.MultiplyAdd<TM>(TL.Splat(3 * GeluTanhForward.Cubic), TL.Multiply(x, x), TL.Splat(1f)), TL.Splat(Sqrt2OverPi));
        var slope = TL.Multiply(s, TL.MultiplyAdd<TM>(TL.Multiply(TL.Add(x, x), complement), du, TL.Splat(1f)));
        return TL.Multiply(TL.Multiply(dy, slope), scale);
    }
}

/// <summary>
/// The normal tail Q(t) = ½erfc(t/√2) for t = |x| ≤ 14, as e^(−t²/2)·z·G(z) with z = 1/(1 + t/2) and G a Chebyshev
/// series in z over [0.125, 1] (fitted to Mills' ratio Q(t)·e^(t²/2)/z, within 5e-10 of it), t² split exactly so that
/// e^(−t²/2) loses nothing to rounding, and the scale e^(−16) kept apart where e^(−t²/2) would be subnormal (as in
/// <see cref="FloatActivations.Logistic"/>).
/// </summary>
internal static class NormalTail
{
    internal const float InverseSqrt2Pi = 0.3989422804014327f;
    private const float Limit = 14f;
    private const float ExpMinusShift = 1.12535175e-7f; // e^(−16)

    // G's Chebyshev coefficients c₀…c₁₃ in s = (2z − 1.125)/0.875.
    private const float C0 = 3.602163494e-01f, C1 = 1.391375363e-01f, C2 = 3.162942361e-03f, C3 = -2.622063970e-03f;
    private const float C4 = 4.129076478e-05f, C5 = 7.522373926e-05f, C6 = -1.057806367e-05f, C7 = -1.266134859e-06f;
    private const float C8 = 6.579912224e-07f, C9 = -7.342650576e-08f, C10 = -1.498597690e-08f, C11 = 7.109557387e-09f;
    private const float C12 = -9.937177747e-10f, C13 = -1.204224914e-10f;

    /// <summary>For |x|: whether it is beyond 14 (Φ is 0 or 1 in float there), e^(−x²/2) (scaled), Mills' ratio R, and the scale to apply last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TV Beyond, TV Gaussian, TV Ratio, TV Scale) Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var t = TL.Abs(x);
        var beyond = TL.GreaterThan(t, TL.Splat(Limit));
        t = TL.Select(beyond, TL.Splat(Limit), t);
        var (square, error) = FloatActivations.TwoProduct<TL, TV, TM>(t, t);
        var half = TL.Multiply(square, TL.Splat(0.5f));
        var tail = TL.GreaterThan(half, TL.Splat(80f));
        var e = TL.Exp<TM>(TL.Select(tail, TL.Subtract(TL.Splat(16f), half), TL.Negate(half)));
        e = TL.MultiplyAdd<TM>(TL.Negate(e), TL.Multiply(error, TL.Splat(0.5f)), e);
        var z = TL.Divide(TL.Splat(1f), TL.MultiplyAdd<TM>(t, TL.Splat(0.5f), TL.Splat(1f)));
        var s = TL.Divide(TL.Subtract(TL.Add(z, z), TL.Splat(1.125f)), TL.Splat(0.875f));
        var twoS = TL.Add(s, s);
        // Clenshaw: b_k = 2s·b_{k+1} − b_{k+2} + c_k, G = s·b₁ − b₂ + c₀.
        var b1 = TL.Splat(C13);
        var b2 = TL.Splat(0f);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C12), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C11), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C10), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C9), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C8), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C7), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C6), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C5), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C4), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C3), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C2), b2)), b1);
        (b1, b2) = (TL.MultiplyAdd<TM>(twoS, b1, TL.Subtract(TL.Splat(C1), b2)), b1);
        var g = TL.MultiplyAdd<TM>(s, b1, TL.Subtract(TL.Splat(C0), b2));
        return (beyond, e, TL.Multiply(z, g), TL.Select(tail, TL.Splat(ExpMinusShift), TL.Splat(1f)));
    }
}

/// <summary>GELU, erf form: x·Φ(x), with Φ(x) = Q(|x|) for x &lt; 0 and 1 − Q(x) otherwise; beyond |x| = 14, x or −0.</summary>
internal readonly struct GeluErfForward : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (beyond, e, ratio, scale) = NormalTail.Of<TL, TV, TM>(x);
        var negative = TL.Multiply(TL.Multiply(TL.Multiply(x, e), ratio), scale);
        var positive = TL.Multiply(x, TL.Subtract(TL.Splat(1f), TL.Multiply(TL.Multiply(e, ratio), scale)));
        var inside = TL.Select(TL.LessThan(x, TL.Splat(0f)), negative, positive);
        return TL.Select(beyond, TL.Select(TL.GreaterThan(x, TL.Splat(0f)), x, TL.Multiply(x, TL.Splat(0f))), inside);
    }
}

/// <summary>GELU′, erf form: Φ(x) + x·φ(x) = e^(−x²/2)·(R + x/√(2π)) for x &lt; 0, 1 + e^(−x²/2)·(x/√(2π) − R) otherwise; beyond |x| = 14, 0 or 1.</summary>
internal readonly struct GeluErfBackward : IFloatGradientMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var (beyond, e, ratio, scale) = NormalTail.Of<TL, TV, TM>(x);
        var c = TL.Splat(NormalTail.InverseSqrt2Pi);
        var negative = TL.Multiply(TL.Multiply(TL.Multiply(dy, TL.MultiplyAdd<TM>(x, c, ratio)), e), scale);
        var slope = TL.MultiplyAdd<TM>(TL.Multiply(e, scale), TL.MultiplyAdd<TM>(x, c, TL.Negate(ratio)), TL.Splat(1f));
        var inside = TL.Select(TL.LessThan(x, TL.Splat(0f)), negative, TL.Multiply(dy, slope));
        return TL.Select(beyond, TL.Select(TL.GreaterThan(x, TL.Splat(0f)), dy, TL.Multiply(dy, TL.Splat(0f))), inside);
    }
}
