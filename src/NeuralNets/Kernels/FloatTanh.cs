using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// tanh in float, written once for every vector width (run by <see cref="FloatActivations"/>), so that the same input
/// gives the same bits on every CPU of a numeric family (<c>TensorPrimitives.Tanh</c> follows the width). Within 2 ulp
/// of the exact tanh (1.50 measured over every 7th float below 10; the bound is asserted in FloatTanhTests).
/// </summary>
/// <remarks>
/// Up to |x| = 0.5625: x·(1 + x²·P(x²)), P a degree-4 fit to (tanh x / x − 1)/x² over [0, 0.5625²] (within 2e-8); the
/// x²·P term is at most a tenth of the result, so its roundings shrink tenfold, and a product with x keeps ±0 and the
/// subnormals. Beyond, where |tanh x| ≥ 0.5: (1 − u)/(1 + u) with u = e^(−2|x|) ≤ 0.33, so nothing cancels, and the
/// sign put back; u underflows harmlessly for large |x| (the result is 1), ±∞ gives ±1 and NaN stays NaN.
/// </remarks>
internal readonly struct TanhForward : IFloatMap
{
    private const float Split = 0.5625f;
    // P(w) = P0·w⁴ + … + P4, fitted by a Chebyshev expansion and rounded to float.
    private const float P0 = -6.525572389e-03f, P1 = 2.126335353e-02f, P2 = -5.390175432e-02f;
    private const float P3 = 1.333307326e-01f, P4 = -3.333333135e-01f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Of<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var w = TL.Multiply(x, x);
        var p = TL.MultiplyAdd<TM>(TL.Splat(P0), w, TL.Splat(P1));
        p = TL.MultiplyAdd<TM>(p, w, TL.Splat(P2));
        p = TL.MultiplyAdd<TM>(p, w, TL.Splat(P3));
        p = TL.MultiplyAdd<TM>(p, w, TL.Splat(P4));
        var near = TL.Multiply(x, TL.MultiplyAdd<TM>(p, w, TL.Splat(1f)));
        var a = TL.Abs(x);
        var e = TL.Exp<TM>(TL.Multiply(a, TL.Splat(-2f)));
        var far = TL.Divide(TL.Subtract(TL.Splat(1f), e), TL.Add(TL.Splat(1f), e));
        far = TL.Select(TL.LessThan(x, TL.Splat(0f)), TL.Negate(far), far);
        return TL.Select(TL.GreaterThan(a, TL.Splat(Split)), far, near);
    }
}
