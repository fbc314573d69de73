using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// tanh in float, written once for every vector width (run by <see cref="FloatActivations"/>), so that the
/// same input gives the same bits on every CPU of a numeric family (<c>TensorPrimitives.Tanh</c> follows the width).
/// Within 2 ulp of the exact tanh over every input measured (a dense sweep, tests/…/FloatTanhTests.cs).
/// </summary>
/// <remarks>
/// With a = |x|: below 2⁻¹², tanh x = x to within a quarter ulp (the x³/3 term), and x itself keeps ±0 and the
/// subnormals exact. Up to 0.5625, a + a³·P(a²), P a degree-5 fit to (tanh a / a − 1)/a² over [0, 0.5625²] (within 5e-10);
/// the a³·P term is at most a tenth of the result, so its roundings shrink tenfold. Beyond, where tanh a ≥ 0.5,
/// 1 − 2/(e^(2a) + 1): no cancellation, since 2/(e^(2a) + 1) ≤ 0.5, and a clamped to 10 (tanh is 1 in float from
/// 9.01 on) so that e^(2a) stays finite. The sign comes back last. NaN stays NaN, ±∞ gives ±1.
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
