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
