using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The heavy-ball updates of Momentum and Nesterov in one pass each, instead of one pass per elementwise operation:
/// v ← ĝ·s + v·γ; w ← from − v·r, where ĝ = w·λ + g when the L2 weight decay λ is set, from is w itself (Momentum)
/// or the weights kept before the look-ahead (Nesterov), and r is 1 (the lecture's velocity) or η (PyTorch's buffer of
/// gradients); and Nesterov's look-ahead, kept ← w; w ← v·(−γ) + w.
/// Every product, sum and difference is rounded once, in the order of the passes it replaced (never fused), so the
/// results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class MomentumStep
{
    /// <summary>Updates <paramref name="v"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values (for Nesterov, at the look-ahead point), read for the L2 term and overwritten.</param>
    /// <param name="from">What the new velocity is subtracted from: <paramref name="w"/> itself, or Nesterov's kept weights.</param>
    /// <param name="g">The gradient at <paramref name="w"/>.</param>
    /// <param name="v">The velocity.</param>
    /// <param name="weightDecay">λ; 0 leaves g as it is (no w·0 term, which would turn −0 into +0 and ∞·0 into NaN).</param>
    /// <param name="momentum">γ.</param>
    /// <param name="gradientScale">s, what the gradient is scaled by: η, or (1 − τ)·η as the caller rounded it (1 or 1 − τ for PyTorch's buffer).</param>
    /// <param name="stepScale">r, what the new v is scaled by before it is subtracted: 1 (v·1 is v, so the lecture's bits are unchanged) or η.</param>
    [MethodImpl(HotPath.Options)]
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> from, ReadOnlySpan<T> g, Span<T> v, T weightDecay, T momentum, T gradientScale, T stepScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("The momentum update", w.Length, from.Length, g.Length, v.Length);
        if (weightDecay == T.Zero) Apply<T, Off>(w, from, g, v, weightDecay, momentum, gradientScale, stepScale);
        else Apply<T, On>(w, from, g, v, weightDecay, momentum, gradientScale, stepScale);
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2>(Span<T> w, ReadOnlySpan<T> from, ReadOnlySpan<T> g, Span<T> v, T weightDecay, T momentum, T gradientScale, T stepScale)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), fs = ref MemoryMarshal.GetReference(from);
        ref T gs = ref MemoryMarshal.GetReference(g), vs = ref MemoryMarshal.GetReference(v);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(weightDecay), gamma = Vector512.Create(momentum), scale = Vector512.Create(gradientScale), step = Vector512.Create(stepScale);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = Vector512.LoadUnsafe(ref ws, (nuint)i) * lambda + gi;
                var vi = gi * scale + Vector512.LoadUnsafe(ref vs, (nuint)i) * gamma;
                vi.StoreUnsafe(ref vs, (nuint)i);
                (Vector512.LoadUnsafe(ref fs, (nuint)i) - vi * step).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(weightDecay), gamma = Vector256.Create(momentum), scale = Vector256.Create(gradientScale), step = Vector256.Create(stepScale);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = Vector256.LoadUnsafe(ref ws, (nuint)i) * lambda + gi;
                var vi = gi * scale + Vector256.LoadUnsafe(ref vs, (nuint)i) * gamma;
                vi.StoreUnsafe(ref vs, (nuint)i);
                (Vector256.LoadUnsafe(ref fs, (nuint)i) - vi * step).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(weightDecay), gamma = Vector128.Create(momentum), scale = Vector128.Create(gradientScale), step = Vector128.Create(stepScale);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = Vector128.LoadUnsafe(ref ws, (nuint)i) * lambda + gi;
                var vi = gi * scale + Vector128.LoadUnsafe(ref vs, (nuint)i) * gamma;
                vi.StoreUnsafe(ref vs, (nuint)i);
                (Vector128.LoadUnsafe(ref fs, (nuint)i) - vi * step).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = Unsafe.Add(ref ws, i) * weightDecay + gi;
            T vi = gi * gradientScale + Unsafe.Add(ref vs, i) * momentum;
            Unsafe.Add(ref vs, i) = vi;
            Unsafe.Add(ref ws, i) = Unsafe.Add(ref fs, i) - vi * stepScale;
        }
    }

    /// <summary>Nesterov's look-ahead: copies <paramref name="w"/> to <paramref name="kept"/>, then moves it to w − γ·v.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="kept">Where the values are kept until the update.</param>
    /// <param name="v">The velocity.</param>
    /// <param name="minusMomentum">−γ.</param>
    [MethodImpl(HotPath.Options)]
    public static void LookAhead<T>(Span<T> w, Span<T> kept, ReadOnlySpan<T> v, T minusMomentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("Nesterov's look-ahead", w.Length, kept.Length, v.Length);
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), ks = ref MemoryMarshal.GetReference(kept), vs = ref MemoryMarshal.GetReference(v);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            var gamma = Vector512.Create(minusMomentum);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                wi.StoreUnsafe(ref ks, (nuint)i);
                (Vector512.LoadUnsafe(ref vs, (nuint)i) * gamma + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var gamma = Vector256.Create(minusMomentum);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                wi.StoreUnsafe(ref ks, (nuint)i);
                (Vector256.LoadUnsafe(ref vs, (nuint)i) * gamma + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var gamma = Vector128.Create(minusMomentum);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                wi.StoreUnsafe(ref ks, (nuint)i);
                (Vector128.LoadUnsafe(ref vs, (nuint)i) * gamma + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i);
            Unsafe.Add(ref ks, i) = wi;
            Unsafe.Add(ref ws, i) = Unsafe.Add(ref vs, i) * minusMomentum + wi;
        }
    }
}
