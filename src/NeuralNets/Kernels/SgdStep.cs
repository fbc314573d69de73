using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Plain gradient descent in one pass, the L2 term included: w ← ĝ·(−η) + w, where ĝ = w·λ + g when the weight decay λ
/// is set (before, a second pass wrote ĝ into a scratch buffer first). Every product and sum is rounded once, in the
/// order of the passes it replaced (never fused), so the results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class SgdStep
{
    /// <summary>Updates <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is.</param>
    /// <param name="minusLearningRate">−η.</param>
    [MethodImpl(HotPath.Options)]
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, T weightDecay, T minusLearningRate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("SGD's update", w.Length, g.Length);
        if (weightDecay == T.Zero) Apply<T, Off>(w, g, weightDecay, minusLearningRate);
        else Apply<T, On>(w, g, weightDecay, minusLearningRate);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2>(Span<T> w, ReadOnlySpan<T> g, T weightDecay, T minusLearningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(weightDecay), rate = Vector512.Create(minusLearningRate);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                (gi * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(weightDecay), rate = Vector256.Create(minusLearningRate);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                (gi * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(weightDecay), rate = Vector128.Create(minusLearningRate);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                (gi * rate + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i), gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * weightDecay + gi;
            Unsafe.Add(ref ws, i) = gi * minusLearningRate + wi;
        }
    }
}
