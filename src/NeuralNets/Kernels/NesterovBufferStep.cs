using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Nesterov's update in PyTorch's convention, in one pass: b ← ĝ + b·γ; θ ← θ − (ĝ + b·γ)·η, where ĝ = θ·λ + g when the
/// L2 weight decay λ is set. Every product, sum and difference is rounded once, in that order (never fused), so the
/// results are the same bits at every vector width.
/// </summary>
internal static class NesterovBufferStep
{
    /// <summary>Updates <paramref name="b"/> and <paramref name="theta"/> in place.</summary>
    /// <param name="theta">The parameter's values, where the gradient was taken; read for the L2 term and overwritten.</param>
    /// <param name="g">The gradient at <paramref name="theta"/>.</param>
    /// <param name="b">The buffer of gradients (PyTorch's <c>momentum_buffer</c>).</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is (no θ·0 term, which would turn −0 into +0 and ∞·0 into NaN).</param>
    /// <param name="momentum">γ.</param>
    /// <param name="learningRate">η.</param>
    [MethodImpl(HotPath.Options)]
    public static void Apply<T>(Span<T> theta, ReadOnlySpan<T> g, Span<T> b, T weightDecay, T momentum, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("Nesterov's update", theta.Length, g.Length, b.Length);
        if (weightDecay == T.Zero) Apply<T, Off>(theta, g, b, weightDecay, momentum, learningRate);
        else Apply<T, On>(theta, g, b, weightDecay, momentum, learningRate);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2>(Span<T> theta, ReadOnlySpan<T> g, Span<T> b, T weightDecay, T momentum, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
    {
        int n = theta.Length;
        ref T ts = ref MemoryMarshal.GetReference(theta), gs = ref MemoryMarshal.GetReference(g), bs = ref MemoryMarshal.GetReference(b);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(weightDecay), gamma = Vector512.Create(momentum), eta = Vector512.Create(learningRate);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var ti = Vector512.LoadUnsafe(ref ts, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = ti * lambda + gi;
                var bi = gi + Vector512.LoadUnsafe(ref bs, (nuint)i) * gamma;
                bi.StoreUnsafe(ref bs, (nuint)i);
                (ti - (gi + bi * gamma) * eta).StoreUnsafe(ref ts, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(weightDecay), gamma = Vector256.Create(momentum), eta = Vector256.Create(learningRate);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var ti = Vector256.LoadUnsafe(ref ts, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = ti * lambda + gi;
                var bi = gi + Vector256.LoadUnsafe(ref bs, (nuint)i) * gamma;
                bi.StoreUnsafe(ref bs, (nuint)i);
                (ti - (gi + bi * gamma) * eta).StoreUnsafe(ref ts, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(weightDecay), gamma = Vector128.Create(momentum), eta = Vector128.Create(learningRate);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var ti = Vector128.LoadUnsafe(ref ts, (nuint)i);
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = ti * lambda + gi;
                var bi = gi + Vector128.LoadUnsafe(ref bs, (nuint)i) * gamma;
                bi.StoreUnsafe(ref bs, (nuint)i);
                (ti - (gi + bi * gamma) * eta).StoreUnsafe(ref ts, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T ti = Unsafe.Add(ref ts, i);
            T gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = ti * weightDecay + gi;
            T bi = gi + Unsafe.Add(ref bs, i) * momentum;
            Unsafe.Add(ref bs, i) = bi;
            Unsafe.Add(ref ts, i) = ti - (gi + bi * momentum) * learningRate;
        }
    }
}
