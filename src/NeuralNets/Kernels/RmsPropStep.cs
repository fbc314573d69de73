using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace NeuralNets.Kernels;

/// <summary>
/// RMSprop's update in one pass, instead of one pass per elementwise operation, with ĝ = w·λ + g when the L2 weight
/// decay λ is set: v ← (ĝ·ĝ)·(1−α) + v·α; centered, ḡ ← ĝ·(1−α) + ḡ·α and d = √(v − ḡ·ḡ) + ε, otherwise d = √v + ε;
/// with momentum b ← b·μ + ĝ/d and w ← b·(−η) + w, without it w ← (ĝ/d)·(−η) + w. Every product, sum, difference,
/// root and quotient is rounded once, in the order of the passes it replaced (never fused), so the results are the
/// same bits at every vector width, and the same as before.
/// </summary>
internal static class RmsPropStep
{
    /// <summary>Updates <paramref name="squareAverage"/>, <paramref name="gradientAverage"/>, <paramref name="momentumBuffer"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="squareAverage">v, the running average of ĝ².</param>
    /// <param name="gradientAverage">ḡ, the running average of ĝ (centered only; otherwise empty).</param>
    /// <param name="momentumBuffer">b (with momentum only; otherwise empty).</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is.</param>
    /// <param name="alpha">α.</param>
    /// <param name="oneMinusAlpha">1 − α, as the caller rounded it.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="momentum">μ (read with momentum only).</param>
    /// <param name="minusLearningRate">−η.</param>
    /// <param name="centered">Whether the denominator uses v − ḡ².</param>
    /// <param name="withMomentum">Whether the scaled gradient goes through the momentum buffer.</param>
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> squareAverage, Span<T> gradientAverage, Span<T> momentumBuffer,
        T weightDecay, T alpha, T oneMinusAlpha, T epsilon, T momentum, T minusLearningRate, bool centered, bool withMomentum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("RMSprop's update", w.Length, g.Length, squareAverage.Length,
            centered ? gradientAverage.Length : w.Length, withMomentum ? momentumBuffer.Length : w.Length);
        var c = new Coefficients<T>(weightDecay, alpha, oneMinusAlpha, epsilon, momentum, minusLearningRate);
        if (weightDecay == T.Zero) Centered<T, Off>(w, g, squareAverage, gradientAverage, momentumBuffer, c, centered, withMomentum);
        else Centered<T, On>(w, g, squareAverage, gradientAverage, momentumBuffer, c, centered, withMomentum);
    }

    private readonly record struct Coefficients<T>(T WeightDecay, T Alpha, T OneMinusAlpha, T Epsilon, T Momentum, T MinusLearningRate)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    private static void Centered<T, TL2>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, Span<T> mean, Span<T> b, in Coefficients<T> c, bool centered, bool withMomentum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
    {
        if (centered) WithMomentum<T, TL2, On>(w, g, v, mean, b, c, withMomentum);
        else WithMomentum<T, TL2, Off>(w, g, v, mean, b, c, withMomentum);
    }

    private static void WithMomentum<T, TL2, TCentered>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, Span<T> mean, Span<T> b, in Coefficients<T> c, bool withMomentum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
        where TCentered : struct, IStepOption
    {
        if (withMomentum) Apply<T, TL2, TCentered, On>(w, g, v, mean, b, c);
        else Apply<T, TL2, TCentered, Off>(w, g, v, mean, b, c);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2, TCentered, TMomentum>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, Span<T> mean, Span<T> b, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
        where TCentered : struct, IStepOption
        where TMomentum : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g), vs = ref MemoryMarshal.GetReference(v);
        ref T ms = ref MemoryMarshal.GetReference(mean), bs = ref MemoryMarshal.GetReference(b);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(c.WeightDecay), alpha = Vector512.Create(c.Alpha), keep = Vector512.Create(c.OneMinusAlpha);
            Vector512<T> eps = Vector512.Create(c.Epsilon), mu = Vector512.Create(c.Momentum), rate = Vector512.Create(c.MinusLearningRate);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var vi = gi * gi * keep + Vector512.LoadUnsafe(ref vs, (nuint)i) * alpha;
                vi.StoreUnsafe(ref vs, (nuint)i);
                Vector512<T> d;
                if (TCentered.IsOn)
                {
                    var mi = gi * keep + Vector512.LoadUnsafe(ref ms, (nuint)i) * alpha;
                    mi.StoreUnsafe(ref ms, (nuint)i);
                    d = Vector512.Sqrt(vi - mi * mi) + eps;
                }
                else d = Vector512.Sqrt(vi) + eps;
                var step = gi / d;
                if (TMomentum.IsOn)
                {
                    step = Vector512.LoadUnsafe(ref bs, (nuint)i) * mu + step;
                    step.StoreUnsafe(ref bs, (nuint)i);
                }
                (step * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(c.WeightDecay), alpha = Vector256.Create(c.Alpha), keep = Vector256.Create(c.OneMinusAlpha);
            Vector256<T> eps = Vector256.Create(c.Epsilon), mu = Vector256.Create(c.Momentum), rate = Vector256.Create(c.MinusLearningRate);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var vi = gi * gi * keep + Vector256.LoadUnsafe(ref vs, (nuint)i) * alpha;
                vi.StoreUnsafe(ref vs, (nuint)i);
                Vector256<T> d;
                if (TCentered.IsOn)
                {
                    var mi = gi * keep + Vector256.LoadUnsafe(ref ms, (nuint)i) * alpha;
                    mi.StoreUnsafe(ref ms, (nuint)i);
                    d = Vector256.Sqrt(vi - mi * mi) + eps;
                }
                else d = Vector256.Sqrt(vi) + eps;
                var step = gi / d;
                if (TMomentum.IsOn)
                {
                    step = Vector256.LoadUnsafe(ref bs, (nuint)i) * mu + step;
                    step.StoreUnsafe(ref bs, (nuint)i);
                }
                (step * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(c.WeightDecay), alpha = Vector128.Create(c.Alpha), keep = Vector128.Create(c.OneMinusAlpha);
            Vector128<T> eps = Vector128.Create(c.Epsilon), mu = Vector128.Create(c.Momentum), rate = Vector128.Create(c.MinusLearningRate);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var vi = gi * gi * keep + Vector128.LoadUnsafe(ref vs, (nuint)i) * alpha;
                vi.StoreUnsafe(ref vs, (nuint)i);
                Vector128<T> d;
                if (TCentered.IsOn)
                {
                    var mi = gi * keep + Vector128.LoadUnsafe(ref ms, (nuint)i) * alpha;
                    mi.StoreUnsafe(ref ms, (nuint)i);
                    d = Vector128.Sqrt(vi - mi * mi) + eps;
                }
                else d = Vector128.Sqrt(vi) + eps;
                var step = gi / d;
                if (TMomentum.IsOn)
                {
                    step = Vector128.LoadUnsafe(ref bs, (nuint)i) * mu + step;
                    step.StoreUnsafe(ref bs, (nuint)i);
                }
                (step * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i), gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * c.WeightDecay + gi;
            T vi = gi * gi * c.OneMinusAlpha + Unsafe.Add(ref vs, i) * c.Alpha;
            Unsafe.Add(ref vs, i) = vi;
            T d;
            if (TCentered.IsOn)
            {
                T mi = gi * c.OneMinusAlpha + Unsafe.Add(ref ms, i) * c.Alpha;
                Unsafe.Add(ref ms, i) = mi;
                d = T.Sqrt(vi - mi * mi) + c.Epsilon;
            }
            else d = T.Sqrt(vi) + c.Epsilon;
            T step = gi / d;
            if (TMomentum.IsOn)
            {
                step = Unsafe.Add(ref bs, i) * c.Momentum + step;
                Unsafe.Add(ref bs, i) = step;
            }
            Unsafe.Add(ref ws, i) = step * c.MinusLearningRate + wi;
        }
    }
}
