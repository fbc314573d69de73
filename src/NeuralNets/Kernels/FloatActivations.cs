using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>An activation's formula in float, written once for every vector width.</summary>
internal interface IFloatMap
{
    /// <summary>The activation of each lane of <paramref name="x"/>.</summary>
    TV Of<TL, TV, TMultiplyAdd>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TMultiplyAdd : struct, IMultiplyAdd;
}

/// <summary>An activation's input gradient in float, written once for every vector width: dx from x and dy.</summary>
internal interface IFloatGradientMap
{
    /// <summary>dLoss/dx of each lane, from the input <paramref name="x"/> and dLoss/dy <paramref name="dy"/>.</summary>
    TV Of<TL, TV, TMultiplyAdd>(TV x, TV dy) where TL : struct, IFloatLanes<TV> where TV : struct where TMultiplyAdd : struct, IMultiplyAdd;
}

/// <summary>
/// Runs an activation's float formula over spans: the widest vectors the numeric family allows (<see cref="KernelWidth"/>),
/// then 128-bit vectors, and the last one to three elements in a 128-bit vector padded with zeros, so that every
/// element goes through the same operations wherever it falls and at whatever width: the same bits on every CPU of a
/// family. (Under <see cref="KernelWidth.Scalar"/> the 128-bit steps run too; where the CPU has no 128-bit vectors .NET
/// computes them lane by lane, with the same IEEE operations.)
/// </summary>
internal static class FloatActivations
{
    /// <summary>y[i] = f(x[i]); x and y may be the same span.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Forward<TF>(TF f, ReadOnlySpan<float> x, Span<float> y) where TF : struct, IFloatMap
    {
        if (y.Length < x.Length) throw KernelErrors.OutputTooShort("An activation", x.Length, y.Length);
        if (KernelWidth.FusedFamily) Forward<TF, Fused>(f, x, y);
        else Forward<TF, Unfused>(f, x, y);
    }

    /// <summary>dx[i] = f′(x[i])·dy[i]; dx may be the same span as either input.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Backward<TF>(TF f, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) where TF : struct, IFloatGradientMap
    {
        if (dy.Length < x.Length || dx.Length < x.Length) throw KernelErrors.Lengths("A gradient of {0} values with spans of {1} and {2}.", x.Length, dy.Length, dx.Length);
        if (KernelWidth.FusedFamily) Backward<TF, Fused>(f, x, dy, dx);
        else Backward<TF, Unfused>(f, x, dy, dx);
    }

    // Each width's loop is a method of its own (an instantiation over the width's lanes, compiled apart): in one method, a
    // long formula (GELU's) inlined for 512 bits left the JIT's inlining budget spent, and the 256-bit loop called every lane
    // operation (benchmarks/README.md).
    [MethodImpl(HotPath.Options)]
    private static void Forward<TF, TM>(TF f, ReadOnlySpan<float> x, Span<float> y) where TF : struct, IFloatMap where TM : struct, IMultiplyAdd
    {
        int i = 0, n = x.Length, bits = KernelWidth.MultiplyAdd;
        if (bits >= 512) i = ForwardLanes<TF, TM, Lanes512, Vector512<float>>(f, x, y, i);
        if (bits >= 256) i = ForwardLanes<TF, TM, Lanes256, Vector256<float>>(f, x, y, i);
        i = ForwardLanes<TF, TM, Lanes128, Vector128<float>>(f, x, y, i);
        if (i < n) ForwardTail<TF, TM>(f, x, y, i);
    }

    /// <summary>Whole vectors of <typeparamref name="TL"/>'s width from element <paramref name="i"/>; returns where they end.</summary>
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static int ForwardLanes<TF, TM, TL, TV>(TF f, ReadOnlySpan<float> x, Span<float> y, int i)
        where TF : struct, IFloatMap where TM : struct, IMultiplyAdd where TL : struct, IFloatLanes<TV> where TV : struct
    {
        ref float source = ref MemoryMarshal.GetReference(x), target = ref MemoryMarshal.GetReference(y);
        for (; i + TL.Count <= x.Length; i += TL.Count)
            TL.Store(f.Of<TL, TV, TM>(TL.Load(ref source, (nuint)i)), ref target, (nuint)i);
        return i;
    }

    // The last one to three elements, in a 128-bit vector padded with zeros.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForwardTail<TF, TM>(TF f, ReadOnlySpan<float> x, Span<float> y, int i) where TF : struct, IFloatMap where TM : struct, IMultiplyAdd
    {
        Span<float> lanes = stackalloc float[4];
        lanes.Clear();
        x[i..].CopyTo(lanes);
        ref float padded = ref MemoryMarshal.GetReference(lanes);
        Lanes128.Store(f.Of<Lanes128, Vector128<float>, TM>(Lanes128.Load(ref padded, 0)), ref padded, 0);
        lanes[..(x.Length - i)].CopyTo(y[i..]);
    }

    [MethodImpl(HotPath.Options)]
    private static void Backward<TF, TM>(TF f, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) where TF : struct, IFloatGradientMap where TM : struct, IMultiplyAdd
    {
        int i = 0, n = x.Length, bits = KernelWidth.MultiplyAdd;
        if (bits >= 512) i = BackwardLanes<TF, TM, Lanes512, Vector512<float>>(f, x, dy, dx, i);
        if (bits >= 256) i = BackwardLanes<TF, TM, Lanes256, Vector256<float>>(f, x, dy, dx, i);
        i = BackwardLanes<TF, TM, Lanes128, Vector128<float>>(f, x, dy, dx, i);
        if (i < n) BackwardTail<TF, TM>(f, x, dy, dx, i);
    }

    /// <summary>Whole vectors of <typeparamref name="TL"/>'s width from element <paramref name="i"/>; returns where they end.</summary>
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static int BackwardLanes<TF, TM, TL, TV>(TF f, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int i)
        where TF : struct, IFloatGradientMap where TM : struct, IMultiplyAdd where TL : struct, IFloatLanes<TV> where TV : struct
    {
        ref float input = ref MemoryMarshal.GetReference(x), gradient = ref MemoryMarshal.GetReference(dy), target = ref MemoryMarshal.GetReference(dx);
        for (; i + TL.Count <= x.Length; i += TL.Count)
            TL.Store(f.Of<TL, TV, TM>(TL.Load(ref input, (nuint)i), TL.Load(ref gradient, (nuint)i)), ref target, (nuint)i);
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardTail<TF, TM>(TF f, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int i) where TF : struct, IFloatGradientMap where TM : struct, IMultiplyAdd
    {
        int n = x.Length;
        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        x[i..].CopyTo(lanes);
        dy[i..n].CopyTo(lanes[4..]);
        ref float padded = ref MemoryMarshal.GetReference(lanes);
        Lanes128.Store(f.Of<Lanes128, Vector128<float>, TM>(Lanes128.Load(ref padded, 0), Lanes128.Load(ref padded, 4)), ref padded, 0);
        lanes[..(n - i)].CopyTo(dx[i..]);
    }

    /// <summary>
    /// e^x − 1 without the cancellation of e^x − 1 near 0: where |x| &lt; 0.34 the exponential's reduction leaves
    /// r = x, so e^x − 1 is its polynomial without the 1, x + x²·q(x); elsewhere |e^x − 1| ≥ 0.28 and the subtraction is exact enough.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ExpM1<TL, TV, TM>(TV x) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var q = TL.MultiplyAdd<TM>(TL.Splat(Exponential.SingleExp<TM>.P0), x, TL.Splat(Exponential.SingleExp<TM>.P1));
        q = TL.MultiplyAdd<TM>(q, x, TL.Splat(Exponential.SingleExp<TM>.P2));
        q = TL.MultiplyAdd<TM>(q, x, TL.Splat(Exponential.SingleExp<TM>.P3));
        q = TL.MultiplyAdd<TM>(q, x, TL.Splat(Exponential.SingleExp<TM>.P4));
        q = TL.MultiplyAdd<TM>(q, x, TL.Splat(Exponential.SingleExp<TM>.P5));
        var near = TL.MultiplyAdd<TM>(q, TL.Multiply(x, x), x);
        var far = TL.Subtract(TL.Exp<TM>(x), TL.Splat(1f));
        return TL.Select(TL.LessThan(TL.Abs(x), TL.Splat(0.34f)), near, far);
    }

    private const float TailShift = 16f;
    private const float ExpMinusTailShift = 1.12535175e-7f; // e^(−16)

    /// <summary>
    /// σ(a) and 1 − σ(a) for a = h + l (l a correction below an ulp of h, 0 when a is a float): 1/(1 + e^(−a)) and
    /// e^(−a)·σ(a), the latter without cancellation. Below a = −80, where σ(a) = e^a to float precision but e^a may
    /// fall among the subnormals, σ is returned as e^(a + 16) with the scale e^(−16) apart (h + 16 is exact there), for
    /// the caller to apply last, after the factors that bring the product back among the normal floats; there 1 − σ
    /// is 1. Elsewhere the scale is 1. NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TV ScaledSigma, TV Complement, TV Scale) Logistic<TL, TV, TM>(TV h, TV l) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var tail = TL.LessThan(h, TL.Splat(-80f));
        var e = TL.Exp<TM>(TL.Select(tail, TL.Add(h, TL.Splat(TailShift)), TL.Negate(h)));
        // e^(−a) = e^(−h)·(1 − l) and e^a = e^h·(1 + l), to within l², far below an ulp.
        var body = TL.MultiplyAdd<TM>(TL.Negate(e), l, e);
        var sigma = TL.Divide(TL.Splat(1f), TL.Add(TL.Splat(1f), body));
        return (TL.Select(tail, TL.MultiplyAdd<TM>(e, l, e), sigma),
                TL.Select(tail, TL.Splat(1f), TL.Multiply(body, sigma)),
                TL.Select(tail, TL.Splat(ExpMinusTailShift), TL.Splat(1f)));
    }

    /// <summary>a·b as an unevaluated sum p + e, exactly: the family's fused multiply-add gives e, or, without one, Dekker's split of each factor into 12-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TV Product, TV Error) TwoProduct<TL, TV, TM>(TV a, TV b) where TL : struct, IFloatLanes<TV> where TV : struct where TM : struct, IMultiplyAdd
    {
        var p = TL.Multiply(a, b);
        if (typeof(TM) == typeof(Fused)) return (p, TL.MultiplyAdd<TM>(a, b, TL.Negate(p)));
        var (aHigh, aLow) = Split<TL, TV>(a);
        var (bHigh, bLow) = Split<TL, TV>(b);
        var e = TL.Subtract(TL.Multiply(aHigh, bHigh), p);
        e = TL.Add(e, TL.Multiply(aHigh, bLow));
        e = TL.Add(e, TL.Multiply(aLow, bHigh));
        return (p, TL.Add(e, TL.Multiply(aLow, bLow)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV High, TV Low) Split<TL, TV>(TV a) where TL : struct, IFloatLanes<TV> where TV : struct
    {
        var t = TL.Multiply(a, TL.Splat(4097f)); // 2^12 + 1
        var high = TL.Subtract(t, TL.Subtract(t, a));
        return (high, TL.Subtract(a, high));
    }
}
