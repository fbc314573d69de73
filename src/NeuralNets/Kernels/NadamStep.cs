using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace NeuralNets.Kernels;

/// <summary>
/// NAdam's update in one pass, instead of one pass per elementwise operation: with decoupled decay w ← w·(1 − ηλ) first,
/// with the L2 decay ĝ = w·λ + g; m ← (ĝ − m)·(1−β1) + m; v ← (ĝ·ĝ)·(1−β2) + v·β2; d = √(v / (1 − β2ᵗ)) + ε;
/// w ← (ĝ/d)·c₁ + w; w ← (m/d)·c₂ + w. Every product, sum, difference, root and quotient is rounded once, in the order of
/// the passes it replaced (never fused), so the results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class NadamStep
{
    /// <summary>Updates <paramref name="m"/>, <paramref name="v"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="m">The first moment.</param>
    /// <param name="v">The second moment.</param>
    /// <param name="decay">How the weight decay enters, and its coefficient.</param>
    /// <param name="c">The step's coefficients.</param>
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, StepDecay<T> decay, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("NAdam's update", w.Length, g.Length, m.Length, v.Length);
        switch (decay.Kind)
        {
            case StepDecayKind.L2: Apply<T, On, Off>(w, g, m, v, decay.Coefficient, c); break;
            case StepDecayKind.Decoupled: Apply<T, Off, On>(w, g, m, v, decay.Coefficient, c); break;
            default: Apply<T, Off, Off>(w, g, m, v, decay.Coefficient, c); break;
        }
    }

    /// <summary>NAdam's per-step coefficients, as the optimizer rounds them to <typeparamref name="T"/>.</summary>
    /// <param name="OneMinusBeta1">1 − β1.</param>
    /// <param name="Beta2">β2.</param>
    /// <param name="OneMinusBeta2">1 − β2.</param>
    /// <param name="SecondCorrection">1 − β2ᵗ.</param>
    /// <param name="Epsilon">ε.</param>
    /// <param name="GradientStep">c₁ = −η·(1 − μₜ)/(1 − Πₜ).</param>
    /// <param name="MomentumStep">c₂ = −η·μₜ₊₁/(1 − Πₜ·μₜ₊₁).</param>
    internal readonly record struct Coefficients<T>(T OneMinusBeta1, T Beta2, T OneMinusBeta2, T SecondCorrection, T Epsilon, T GradientStep, T MomentumStep)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2, TDecoupled>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T decay, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
        where TDecoupled : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g);
        ref T ms = ref MemoryMarshal.GetReference(m), vs = ref MemoryMarshal.GetReference(v);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(decay), c1 = Vector512.Create(c.OneMinusBeta1), b2 = Vector512.Create(c.Beta2), c2 = Vector512.Create(c.OneMinusBeta2);
            Vector512<T> correction = Vector512.Create(c.SecondCorrection), eps = Vector512.Create(c.Epsilon);
            Vector512<T> gradientStep = Vector512.Create(c.GradientStep), momentumStep = Vector512.Create(c.MomentumStep);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = Vector512.LoadUnsafe(ref ms, (nuint)i);
                mi = (gi - mi) * c1 + mi;
                var vi = gi * gi * c2 + Vector512.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                var d = Vector512.Sqrt(vi / correction) + eps;
                wi = gi / d * gradientStep + wi;
                (mi / d * momentumStep + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(decay), c1 = Vector256.Create(c.OneMinusBeta1), b2 = Vector256.Create(c.Beta2), c2 = Vector256.Create(c.OneMinusBeta2);
            Vector256<T> correction = Vector256.Create(c.SecondCorrection), eps = Vector256.Create(c.Epsilon);
            Vector256<T> gradientStep = Vector256.Create(c.GradientStep), momentumStep = Vector256.Create(c.MomentumStep);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = Vector256.LoadUnsafe(ref ms, (nuint)i);
                mi = (gi - mi) * c1 + mi;
                var vi = gi * gi * c2 + Vector256.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                var d = Vector256.Sqrt(vi / correction) + eps;
                wi = gi / d * gradientStep + wi;
                (mi / d * momentumStep + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(decay), c1 = Vector128.Create(c.OneMinusBeta1), b2 = Vector128.Create(c.Beta2), c2 = Vector128.Create(c.OneMinusBeta2);
            Vector128<T> correction = Vector128.Create(c.SecondCorrection), eps = Vector128.Create(c.Epsilon);
            Vector128<T> gradientStep = Vector128.Create(c.GradientStep), momentumStep = Vector128.Create(c.MomentumStep);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = Vector128.LoadUnsafe(ref ms, (nuint)i);
                mi = (gi - mi) * c1 + mi;
                var vi = gi * gi * c2 + Vector128.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                var d = Vector128.Sqrt(vi / correction) + eps;
                wi = gi / d * gradientStep + wi;
                (mi / d * momentumStep + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i);
            if (TDecoupled.IsOn) wi *= decay;
            T gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * decay + gi;
            T mi = Unsafe.Add(ref ms, i);
            mi = (gi - mi) * c.OneMinusBeta1 + mi;
            T vi = gi * gi * c.OneMinusBeta2 + Unsafe.Add(ref vs, i) * c.Beta2;
            Unsafe.Add(ref ms, i) = mi;
            Unsafe.Add(ref vs, i) = vi;
            T d = T.Sqrt(vi / c.SecondCorrection) + c.Epsilon;
            wi = gi / d * c.GradientStep + wi;
            Unsafe.Add(ref ws, i) = mi / d * c.MomentumStep + wi;
        }
    }
}
