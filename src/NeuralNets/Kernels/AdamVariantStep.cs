using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace NeuralNets.Kernels;

/// <summary>
/// Adam's update with what <see cref="AdamStep"/> leaves to other passes, in the same one pass: the L2 term
/// (ĝ = w·λ + g), AdamW's decoupled decay (w ← w·(1 − ηλ) first) and AMSGrad's running maximum (v_max ← max(v_max, v)
/// takes v's place in the denominator). Every product, sum, root, quotient and maximum is rounded once, in the order
/// of the passes it replaced (never fused), so the results are the same bits at every vector width, and the same as before.
/// </summary>
internal static class AdamVariantStep
{
    /// <summary>Updates <paramref name="m"/>, <paramref name="v"/>, <paramref name="vMax"/> and <paramref name="w"/> in place.</summary>
    /// <param name="w">The parameter's values.</param>
    /// <param name="g">The gradient, without any decay term.</param>
    /// <param name="m">The first moment.</param>
    /// <param name="v">The second moment.</param>
    /// <param name="vMax">The largest second moment so far (AMSGrad only; otherwise empty).</param>
    /// <param name="decay">How the weight decay enters, and its coefficient.</param>
    /// <param name="amsgrad">Whether the denominator takes the largest second moment so far.</param>
    /// <param name="c">The step's coefficients, as <see cref="AdamStep"/> takes them.</param>
    public static void Apply<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vMax, StepDecay<T> decay, bool amsgrad, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StepLengths.Check("Adam's update", w.Length, g.Length, m.Length, v.Length, amsgrad ? vMax.Length : w.Length);
        if (amsgrad) WithDecay<T, On>(w, g, m, v, vMax, decay, c);
        else WithDecay<T, Off>(w, g, m, v, vMax, decay, c);
    }

    /// <summary>Adam's per-step coefficients, as the optimizer rounds them to <typeparamref name="T"/>.</summary>
    /// <param name="Beta1">β1.</param>
    /// <param name="OneMinusBeta1">1 − β1.</param>
    /// <param name="Beta2">β2.</param>
    /// <param name="OneMinusBeta2">1 − β2.</param>
    /// <param name="InverseRootCorrection2">1/√(1 − β2ᵗ).</param>
    /// <param name="Epsilon">ε.</param>
    /// <param name="MinusStepSize">−η/(1 − β1ᵗ).</param>
    internal readonly record struct Coefficients<T>(T Beta1, T OneMinusBeta1, T Beta2, T OneMinusBeta2, T InverseRootCorrection2, T Epsilon, T MinusStepSize)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    private static void WithDecay<T, TAmsgrad>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vMax, StepDecay<T> decay, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAmsgrad : struct, IStepOption
    {
        switch (decay.Kind)
        {
            case StepDecayKind.L2: Apply<T, On, Off, TAmsgrad>(w, g, m, v, vMax, decay.Coefficient, c); break;
            case StepDecayKind.Decoupled: Apply<T, Off, On, TAmsgrad>(w, g, m, v, vMax, decay.Coefficient, c); break;
            default: Apply<T, Off, Off, TAmsgrad>(w, g, m, v, vMax, decay.Coefficient, c); break;
        }
    }

    [MethodImpl(HotPath.Options)]
    private static void Apply<T, TL2, TDecoupled, TAmsgrad>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vMax, T decay, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TL2 : struct, IStepOption
        where TDecoupled : struct, IStepOption
        where TAmsgrad : struct, IStepOption
    {
        int n = w.Length;
        ref T ws = ref MemoryMarshal.GetReference(w), gs = ref MemoryMarshal.GetReference(g);
        ref T ms = ref MemoryMarshal.GetReference(m), vs = ref MemoryMarshal.GetReference(v), xs = ref MemoryMarshal.GetReference(vMax);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            Vector512<T> lambda = Vector512.Create(decay), b1 = Vector512.Create(c.Beta1), c1 = Vector512.Create(c.OneMinusBeta1);
            Vector512<T> b2 = Vector512.Create(c.Beta2), c2 = Vector512.Create(c.OneMinusBeta2), root = Vector512.Create(c.InverseRootCorrection2);
            Vector512<T> eps = Vector512.Create(c.Epsilon), step = Vector512.Create(c.MinusStepSize);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector512.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = gi * c1 + Vector512.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector512.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                if (TAmsgrad.IsOn)
                {
                    vi = Vector512.Max(Vector512.LoadUnsafe(ref xs, (nuint)i), vi);
                    vi.StoreUnsafe(ref xs, (nuint)i);
                }
                (mi / (Vector512.Sqrt(vi) * root + eps) * step + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            Vector256<T> lambda = Vector256.Create(decay), b1 = Vector256.Create(c.Beta1), c1 = Vector256.Create(c.OneMinusBeta1);
            Vector256<T> b2 = Vector256.Create(c.Beta2), c2 = Vector256.Create(c.OneMinusBeta2), root = Vector256.Create(c.InverseRootCorrection2);
            Vector256<T> eps = Vector256.Create(c.Epsilon), step = Vector256.Create(c.MinusStepSize);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector256.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = gi * c1 + Vector256.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector256.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                if (TAmsgrad.IsOn)
                {
                    vi = Vector256.Max(Vector256.LoadUnsafe(ref xs, (nuint)i), vi);
                    vi.StoreUnsafe(ref xs, (nuint)i);
                }
                (mi / (Vector256.Sqrt(vi) * root + eps) * step + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            Vector128<T> lambda = Vector128.Create(decay), b1 = Vector128.Create(c.Beta1), c1 = Vector128.Create(c.OneMinusBeta1);
            Vector128<T> b2 = Vector128.Create(c.Beta2), c2 = Vector128.Create(c.OneMinusBeta2), root = Vector128.Create(c.InverseRootCorrection2);
            Vector128<T> eps = Vector128.Create(c.Epsilon), step = Vector128.Create(c.MinusStepSize);
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                var wi = Vector128.LoadUnsafe(ref ws, (nuint)i);
                if (TDecoupled.IsOn) wi *= lambda;
                var gi = Vector128.LoadUnsafe(ref gs, (nuint)i);
                if (TL2.IsOn) gi = wi * lambda + gi;
                var mi = gi * c1 + Vector128.LoadUnsafe(ref ms, (nuint)i) * b1;
                var vi = gi * gi * c2 + Vector128.LoadUnsafe(ref vs, (nuint)i) * b2;
                mi.StoreUnsafe(ref ms, (nuint)i);
                vi.StoreUnsafe(ref vs, (nuint)i);
                if (TAmsgrad.IsOn)
                {
                    vi = Vector128.Max(Vector128.LoadUnsafe(ref xs, (nuint)i), vi);
                    vi.StoreUnsafe(ref xs, (nuint)i);
                }
                (mi / (Vector128.Sqrt(vi) * root + eps) * step + wi).StoreUnsafe(ref ws, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref ws, i);
            if (TDecoupled.IsOn) wi *= decay;
            T gi = Unsafe.Add(ref gs, i);
            if (TL2.IsOn) gi = wi * decay + gi;
            T mi = gi * c.OneMinusBeta1 + Unsafe.Add(ref ms, i) * c.Beta1;
            T vi = gi * gi * c.OneMinusBeta2 + Unsafe.Add(ref vs, i) * c.Beta2;
            Unsafe.Add(ref ms, i) = mi;
            Unsafe.Add(ref vs, i) = vi;
            if (TAmsgrad.IsOn)
            {
                vi = T.Max(Unsafe.Add(ref xs, i), vi);
                Unsafe.Add(ref xs, i) = vi;
            }
            Unsafe.Add(ref ws, i) = mi / (T.Sqrt(vi) * c.InverseRootCorrection2 + c.Epsilon) * c.MinusStepSize + wi;
        }
    }
}
