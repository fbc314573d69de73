using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Adadelta's update in one pass, instead of one pass per elementwise operation, with ĝ = w·λ + g when the L2 weight
/// decay λ is set: E[g²] ← (ĝ·ĝ)·(1−ρ) + E[g²]·ρ; Δ = √(E[Δw²] + ε) / √(E[g²] + ε) · ĝ; E[Δw²] ← (Δ·Δ)·(1−ρ) + E[Δw²]·ρ;
/// w ← Δ·(−η) + w. Every product, sum, root and quotient is rounded once, in the order of the passes it replaced
/// (never fused), so the results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class AdadeltaStep
{
    /// <summary>Updates <paramref name="squareAverage"/>, <paramref name="accumulatedDelta"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="squareAverage">E[g²].</param>
    /// <param name="accumulatedDelta">E[Δw²].</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is.</param>
    /// <param name="rho">ρ.</param>
    /// <param name="oneMinusRho">1 − ρ, as the caller rounded it.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="minusLearningRate">−η.</param>
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> squareAverage, Span<T> accumulatedDelta,
        T weightDecay, T rho, T oneMinusRho, T epsilon, T minusLearningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("Adadelta's update", w.Length, g.Length, squareAverage.Length, accumulatedDelta.Length);
        if (weightDecay == T.Zero) Apply<T, Off>(w, g, squareAverage, accumulatedDelta, weightDecay, rho, oneMinusRho, epsilon, minusLearningRate);
        else Apply<T, On>(w, g, squareAverage, accumulatedDelta, weightDecay, rho, oneMinusRho, epsilon, minusLearningRate);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2>(Span<T> w, ReadOnlySpan<T> g, Span<T> squareAverage, Span<T> accumulatedDelta,
        T weightDecay, T rho, T oneMinusRho, T epsilon, T minusLearningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g);
        ref T ss = ref MemoryMarshal.GetReference(squareAverage), ds = ref MemoryMarshal.GetReference(accumulatedDelta);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(weightDecay), r = Vector512.Create(rho), keep = Vector512.Create(oneMinusRho);
            Vector512<T> eps = Vector512.Create(epsilon), rate = Vector512.Create(minusLearningRate);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi * keep + Vector512.LoadUnsafe(ref ss, (nuint)i) * r;
                si.StoreUnsafe(ref ss, (nuint)i);
                var di = Vector512.LoadUnsafe(ref ds, (nuint)i);
                var delta = Vector512.Sqrt(di + eps) / Vector512.Sqrt(si + eps) * gi;
                (delta * delta * keep + di * r).StoreUnsafe(ref ds, (nuint)i);
                (delta * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(weightDecay), r = Vector256.Create(rho), keep = Vector256.Create(oneMinusRho);
            Vector256<T> eps = Vector256.Create(epsilon), rate = Vector256.Create(minusLearningRate);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi * keep + Vector256.LoadUnsafe(ref ss, (nuint)i) * r;
                si.StoreUnsafe(ref ss, (nuint)i);
                var di = Vector256.LoadUnsafe(ref ds, (nuint)i);
                var delta = Vector256.Sqrt(di + eps) / Vector256.Sqrt(si + eps) * gi;
                (delta * delta * keep + di * r).StoreUnsafe(ref ds, (nuint)i);
                (delta * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(weightDecay), r = Vector128.Create(rho), keep = Vector128.Create(oneMinusRho);
            Vector128<T> eps = Vector128.Create(epsilon), rate = Vector128.Create(minusLearningRate);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi * keep + Vector128.LoadUnsafe(ref ss, (nuint)i) * r;
                si.StoreUnsafe(ref ss, (nuint)i);
                var di = Vector128.LoadUnsafe(ref ds, (nuint)i);
                var delta = Vector128.Sqrt(di + eps) / Vector128.Sqrt(si + eps) * gi;
                (delta * delta * keep + di * r).StoreUnsafe(ref ds, (nuint)i);
                (delta * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i), gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * weightDecay + gi;
            T si = gi * gi * oneMinusRho + Unsafe.Add(ref ss, i) * rho;
            Unsafe.Add(ref ss, i) = si;
            T di = Unsafe.Add(ref ds, i);
            T delta = T.Sqrt(di + epsilon) / T.Sqrt(si + epsilon) * gi;
            Unsafe.Add(ref ds, i) = delta * delta * oneMinusRho + di * rho;
            Unsafe.Add(ref ws, i) = delta * minusLearningRate + wi;
        }
    }
}
