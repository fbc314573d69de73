using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Adam's moment and weight update in one pass over w, g, m and v, instead of ten passes of one elementwise operation
/// each: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − stepSize · m / (√v · c + ε). Every product, sum, root and
/// quotient is rounded once, in the same order as those ten passes (never fused), so the results are the same bits at
/// every vector width, and the same as before.
/// </summary>
internal static class AdamStep
{
    /// <summary>Updates <paramref name="m"/>, <paramref name="v"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient (with any L2 term already added).</param>
    /// <param name="m">The first moment.</param>
    /// <param name="v">The second moment.</param>
    /// <param name="beta1">β1.</param>
    /// <param name="oneMinusBeta1">1 − β1, as the caller rounded it.</param>
    /// <param name="beta2">β2.</param>
    /// <param name="oneMinusBeta2">1 − β2, as the caller rounded it.</param>
    /// <param name="inverseRootCorrection2">c = 1/√(1 − β2ᵗ).</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="minusStepSize">−η/(1 − β1ᵗ).</param>
    [MethodImpl(HotPath.Options)]
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T beta1, T oneMinusBeta1, T beta2, T oneMinusBeta2,
        T inverseRootCorrection2, T epsilon, T minusStepSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = w.Length;
        if (g.Length != n || m.Length != n || v.Length != n)
            throw KernelErrors.Lengths("Adam's update over spans of {0}, {1}, {2} and {3} elements.", w.Length, g.Length, m.Length, v.Length);
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g);
        ref T ms = ref MemoryMarshal.GetReference(m), vs = ref MemoryMarshal.GetReference(v);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> b1 = Vector512.Create(beta1), c1 = Vector512.Create(oneMinusBeta1), b2 = Vector512.Create(beta2), c2 = Vector512.Create(oneMinusBeta2);
            Vector512<T> root = Vector512.Create(inverseRootCorrection2), eps = Vector512.Create(epsilon), step = Vector512.Create(minusStepSize);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                var mi = gi * c1 + Vector512.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector512.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                (mi / (Vector512.Sqrt(vi) * root + eps) * step + Vector512.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> b1 = Vector256.Create(beta1), c1 = Vector256.Create(oneMinusBeta1), b2 = Vector256.Create(beta2), c2 = Vector256.Create(oneMinusBeta2);
            Vector256<T> root = Vector256.Create(inverseRootCorrection2), eps = Vector256.Create(epsilon), step = Vector256.Create(minusStepSize);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                var mi = gi * c1 + Vector256.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector256.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                (mi / (Vector256.Sqrt(vi) * root + eps) * step + Vector256.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> b1 = Vector128.Create(beta1), c1 = Vector128.Create(oneMinusBeta1), b2 = Vector128.Create(beta2), c2 = Vector128.Create(oneMinusBeta2);
            Vector128<T> root = Vector128.Create(inverseRootCorrection2), eps = Vector128.Create(epsilon), step = Vector128.Create(minusStepSize);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                var mi = gi * c1 + Vector128.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector128.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                (mi / (Vector128.Sqrt(vi) * root + eps) * step + Vector128.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T gi = Unsafe.Add(ref gs, i);
            T mi = gi * oneMinusBeta1 + Unsafe.Add(ref ms, i) * beta1;
            T vi = gi * gi * oneMinusBeta2 + Unsafe.Add(ref vs, i) * beta2;
            Unsafe.Add(ref ms, i) = mi;
            Unsafe.Add(ref vs, i) = vi;
            Unsafe.Add(ref ws, i) = mi / (T.Sqrt(vi) * inverseRootCorrection2 + epsilon) * minusStepSize + Unsafe.Add(ref ws, i);
        }
    }
}
