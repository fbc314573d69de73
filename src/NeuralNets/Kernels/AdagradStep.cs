using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Adagrad's update in one pass, instead of one pass per elementwise operation: G ← ĝ·ĝ + G; d = √(G + ε) (ε inside
/// the root) or √G + ε (after it); w ← (ĝ / d)·(−η_t) + w, where ĝ = w·λ + g when the L2 weight decay λ is set.
/// Every product, sum, root and quotient is rounded once, in the order of the passes it replaced (never fused), so
/// the results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class AdagradStep
{
    /// <summary>Updates <paramref name="sum"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="sum">G, the sum of squared gradients.</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="epsilonInsideRoot">Whether ε goes inside the root (the lecture's form) or after it (PyTorch's).</param>
    /// <param name="minusRate">−η_t, the step's rate negated.</param>
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> sum, T weightDecay, T epsilon, bool epsilonInsideRoot, T minusRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("Adagrad's update", w.Length, g.Length, sum.Length);
        if (weightDecay == T.Zero)
        {
            if (epsilonInsideRoot) Apply<T, Off, On>(w, g, sum, weightDecay, epsilon, minusRate);
            else Apply<T, Off, Off>(w, g, sum, weightDecay, epsilon, minusRate);
        }
        else if (epsilonInsideRoot) Apply<T, On, On>(w, g, sum, weightDecay, epsilon, minusRate);
        else Apply<T, On, Off>(w, g, sum, weightDecay, epsilon, minusRate);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2, TInsideRoot>(Span<T> w, ReadOnlySpan<T> g, Span<T> sum, T weightDecay, T epsilon, T minusRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
        where TInsideRoot : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g), ss = ref MemoryMarshal.GetReference(sum);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(weightDecay), eps = Vector512.Create(epsilon), rate = Vector512.Create(minusRate);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi + Vector512.LoadUnsafe(ref ss, (nuint)i);
                si.StoreUnsafe(ref ss, (nuint)i);
                var d = TInsideRoot.IsOn ? Vector512.Sqrt(si + eps) : Vector512.Sqrt(si) + eps;
                (gi / d * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(weightDecay), eps = Vector256.Create(epsilon), rate = Vector256.Create(minusRate);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi + Vector256.LoadUnsafe(ref ss, (nuint)i);
                si.StoreUnsafe(ref ss, (nuint)i);
                var d = TInsideRoot.IsOn ? Vector256.Sqrt(si + eps) : Vector256.Sqrt(si) + eps;
                (gi / d * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(weightDecay), eps = Vector128.Create(epsilon), rate = Vector128.Create(minusRate);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var si = gi * gi + Vector128.LoadUnsafe(ref ss, (nuint)i);
                si.StoreUnsafe(ref ss, (nuint)i);
                var d = TInsideRoot.IsOn ? Vector128.Sqrt(si + eps) : Vector128.Sqrt(si) + eps;
                (gi / d * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i), gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * weightDecay + gi;
            T si = gi * gi + Unsafe.Add(ref ss, i);
            Unsafe.Add(ref ss, i) = si;
            T d = TInsideRoot.IsOn ? T.Sqrt(si + epsilon) : T.Sqrt(si) + epsilon;
            Unsafe.Add(ref ws, i) = gi / d * minusRate + wi;
        }
    }
}
