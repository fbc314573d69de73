using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Vectorised elementwise derivatives of the activations, and flushing of subnormal values.
/// .NET cannot set the CPU's flush-to-zero mode, and arithmetic on subnormals costs 8–100× on
/// x64; they arise from saturated units (σ(−90) in float) and far-off softmax classes, so the
/// activations and losses flush results whose magnitude is below the smallest normal number to
/// zero. Values in the normal range are untouched, so results there are exactly those of the
/// plain formulas. Every operation is exact per element, so 256-bit, 128-bit (ARM64 NEON,
/// WebAssembly SIMD) and scalar loops give the same values (<see cref="KernelWidth.Exact"/>).
/// </summary>
internal static class Elementwise
{
    /// <summary>The smallest positive normal number of <typeparamref name="T"/> (0 for types without a known one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SmallestNormal<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return (T)(object)1.17549435e-38f;
        if (typeof(T) == typeof(double)) return (T)(object)2.2250738585072014e-308;
        return T.Zero;
    }

    /// <summary>Effectively computes <c>v[i] = |v[i]| &lt; smallest normal ? 0 : v[i]</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void FlushSubnormals<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T tiny = SmallestNormal<T>();
        ref T v = ref MemoryMarshal.GetReference(values);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var limit = Vector256.Create(tiny);
            for (; i + Vector256<T>.Count <= values.Length; i += Vector256<T>.Count)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)i);
                Vector256.AndNot(x, Vector256.LessThan(Vector256.Abs(x), limit)).StoreUnsafe(ref v, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var limit = Vector128.Create(tiny);
            for (; i + Vector128<T>.Count <= values.Length; i += Vector128<T>.Count)
            {
                var x = Vector128.LoadUnsafe(ref v, (nuint)i);
                Vector128.AndNot(x, Vector128.LessThan(Vector128.Abs(x), limit)).StoreUnsafe(ref v, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
            if (T.Abs(Unsafe.Add(ref v, i)) < tiny) Unsafe.Add(ref v, i) = T.Zero;
    }

    /// <summary>Effectively computes <c>dx[i] = flush(dy[i] · y[i] · (1 − y[i]))</c>, the sigmoid's backward pass.</summary>
    [MethodImpl(HotPath.Options)]
    public static void SigmoidBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
        => FlushedBackward<T, SigmoidDerivative<T>>(y, dy, dx);

    /// <summary>Effectively computes <c>dx[i] = flush(dy[i] · (1 − y[i]²))</c>, the hyperbolic tangent's backward pass.</summary>
    [MethodImpl(HotPath.Options)]
    public static void TanhBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
        => FlushedBackward<T, TanhDerivative<T>>(y, dy, dx);

    /// <summary>dx from the activation's output y and dy, written once for scalars and once for vectors.</summary>
    private interface IOutputDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Invoke(T y, T dy);
        static abstract Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy);
        static abstract Vector128<T> Invoke(Vector128<T> y, Vector128<T> dy);
    }

    // σ′ = y(1 − y)
    private readonly struct SigmoidDerivative<T> : IOutputDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T y, T dy) => dy * y * (T.One - y);
        public static Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * y * (Vector256<T>.One - y);
        public static Vector128<T> Invoke(Vector128<T> y, Vector128<T> dy) => dy * y * (Vector128<T>.One - y);
    }

    // tanh′ = 1 − y²
    private readonly struct TanhDerivative<T> : IOutputDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T y, T dy) => dy * (T.One - y * y);
        public static Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * (Vector256<T>.One - y * y);
        public static Vector128<T> Invoke(Vector128<T> y, Vector128<T> dy) => dy * (Vector128<T>.One - y * y);
    }

    /// <summary>The one vectorised driver: <c>dx[i] = flush(TDerivative(y[i], dy[i]))</c>.</summary>
    [MethodImpl(HotPath.Options)]
    private static void FlushedBackward<T, TDerivative>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDerivative : struct, IOutputDerivative<T>
    {
        CheckLengths(y, dy, dx);
        T tiny = SmallestNormal<T>();
        ref T ys = ref MemoryMarshal.GetReference(y), gs = ref MemoryMarshal.GetReference(dy), ds = ref MemoryMarshal.GetReference(dx);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var limit = Vector256.Create(tiny);
            for (; i + Vector256<T>.Count <= dx.Length; i += Vector256<T>.Count)
            {
                var r = TDerivative.Invoke(Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref gs, (nuint)i));
                Vector256.AndNot(r, Vector256.LessThan(Vector256.Abs(r), limit)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var limit = Vector128.Create(tiny);
            for (; i + Vector128<T>.Count <= dx.Length; i += Vector128<T>.Count)
            {
                var r = TDerivative.Invoke(Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref gs, (nuint)i));
                Vector128.AndNot(r, Vector128.LessThan(Vector128.Abs(r), limit)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < dx.Length; i++)
        {
            T r = TDerivative.Invoke(Unsafe.Add(ref ys, i), Unsafe.Add(ref gs, i));
            Unsafe.Add(ref ds, i) = T.Abs(r) < tiny ? T.Zero : r;
        }
    }

    /// <summary>
    /// Effectively computes <c>y[i] = condition[i] &lt;= 0 ? 0 : values[i]</c>, PyTorch's <c>threshold(·, 0, 0)</c>:
    /// with both x it is ReLU's forward pass, with the forward output and dy its backward pass (PyTorch's
    /// <c>threshold_backward(grad, result, 0)</c>). A NaN condition is not ≤ 0, so the value passes: relu(NaN) = NaN,
    /// and the gradient at a NaN is dy.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void ZeroUnlessPositive<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> values, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(condition, values, y);
        ref T cs = ref MemoryMarshal.GetReference(condition), vs = ref MemoryMarshal.GetReference(values), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        // ≤ is false for NaN, so clearing where it holds keeps NaN without a separate mask (and writes +0 as the tail does).
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
            {
                var notPositive = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref cs, (nuint)i), Vector256<T>.Zero);
                Vector256.AndNot(Vector256.LoadUnsafe(ref vs, (nuint)i), notPositive).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
            {
                var notPositive = Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref cs, (nuint)i), Vector128<T>.Zero);
                Vector128.AndNot(Vector128.LoadUnsafe(ref vs, (nuint)i), notPositive).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref cs, i) <= T.Zero ? T.Zero : Unsafe.Add(ref vs, i);
    }

    /// <summary>Effectively computes <c>y[i] = x[i] + addend[i]</c> (each sum rounded once, so the same bits at every width). <paramref name="y"/> may be either input.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> addend, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Pairwise<T, Sum>(x, addend, y);

    /// <summary>Effectively computes <c>y[i] = x[i] · factor[i]</c> (each product rounded once, so the same bits at every width). <paramref name="y"/> may be either input.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> factor, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Pairwise<T, Product>(x, factor, y);

    /// <summary>One exactly rounded operation on two values, at every vector width and on scalars.</summary>
    private interface IPairOperation
    {
        static abstract Vector512<T> Of<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T>;

        static abstract Vector256<T> Of<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>;

        static abstract Vector128<T> Of<T>(Vector128<T> a, Vector128<T> b) where T : unmanaged, IFloatingPointIeee754<T>;

        static abstract T Of<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct Sum : IPairOperation
    {
        public static Vector512<T> Of<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;

        public static Vector256<T> Of<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;

        public static Vector128<T> Of<T>(Vector128<T> a, Vector128<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;

        public static T Of<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
    }

    private readonly struct Product : IPairOperation
    {
        public static Vector512<T> Of<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;

        public static Vector256<T> Of<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;

        public static Vector128<T> Of<T>(Vector128<T> a, Vector128<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;

        public static T Of<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
    }

    /// <summary>Effectively computes <c>y[i] = TOperation.Of(x[i], other[i])</c>, the widest vectors first, then the narrower ones, then scalars.</summary>
    [MethodImpl(HotPath.Options)]
    private static void Pairwise<T, TOperation>(ReadOnlySpan<T> x, ReadOnlySpan<T> other, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperation : struct, IPairOperation
    {
        CheckLengths(x, other, y);
        ref T xs = ref MemoryMarshal.GetReference(x), os = ref MemoryMarshal.GetReference(other), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            for (; i + Vector512<T>.Count <= y.Length; i += Vector512<T>.Count)
                TOperation.Of(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref os, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
                TOperation.Of(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref os, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
                TOperation.Of(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref os, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < y.Length; i++) Unsafe.Add(ref ys, i) = TOperation.Of(Unsafe.Add(ref xs, i), Unsafe.Add(ref os, i));
    }

    /// <summary>Effectively computes <c>y[i] = x[i] + value</c> (a bias added to one output plane). <paramref name="y"/> may be <paramref name="x"/>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Add<T>(ReadOnlySpan<T> x, T value, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw LengthsDiffer(x.Length, y.Length);
        ref T xs = ref MemoryMarshal.GetReference(x), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            var v = Vector512.Create(value);
            for (; i + Vector512<T>.Count <= y.Length; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)i) + v).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var v = Vector256.Create(value);
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)i) + v).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var v = Vector128.Create(value);
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
                (Vector128.LoadUnsafe(ref xs, (nuint)i) + v).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < y.Length; i++) Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) + value;
    }

    /// <summary>
    /// Effectively computes <c>y[i] = x[i]·scale + addend[i]</c>, the product rounded before the sum, exactly as
    /// <c>TensorPrimitives.MultiplyAdd</c> does (so the same bits at every width): the row updates of
    /// <see cref="GemmDirect"/> (products of fewer than four rows, such as a dense layer's input gradient at batch 1) and
    /// the L2 term <c>g + λ·w</c> of <c>ElementRange.GradientWithL2</c>, for optimizers written outside (the built-in ones
    /// fold it into their one-pass kernels, Kernels/*Step.cs). <paramref name="y"/> may be <paramref name="addend"/>.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, T scale, ReadOnlySpan<T> addend, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(x, addend, y);
        ref T xs = ref MemoryMarshal.GetReference(x), adds = ref MemoryMarshal.GetReference(addend), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported)
        {
            var s = Vector512.Create(scale);
            for (; i + Vector512<T>.Count <= y.Length; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)i) * s + Vector512.LoadUnsafe(ref adds, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var s = Vector256.Create(scale);
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)i) * s + Vector256.LoadUnsafe(ref adds, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var s = Vector128.Create(scale);
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
                (Vector128.LoadUnsafe(ref xs, (nuint)i) * s + Vector128.LoadUnsafe(ref adds, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < y.Length; i++) Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * scale + Unsafe.Add(ref adds, i);
    }

    /// <summary>
    /// Effectively computes <c>y[i] = x[i] &gt; 0 ? passed[i] : slope · scaled[i]</c>, PyTorch's leaky ReLU kernels:
    /// with passed = scaled = x it is the forward pass, with passed = scaled = dy and x the forward input the backward
    /// pass. A NaN x is not &gt; 0, so it gives slope · NaN = NaN forward and slope · dy backward, as in PyTorch.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void SelectPositive<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> passed, ReadOnlySpan<T> scaled, T slope, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(x, passed, y);
        CheckLengths(x, scaled, y);
        ref T xs = ref MemoryMarshal.GetReference(x), ps = ref MemoryMarshal.GetReference(passed);
        ref T ss = ref MemoryMarshal.GetReference(scaled), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            var s = Vector256.Create(slope);
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
            {
                var positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256<T>.Zero);
                var other = s * Vector256.LoadUnsafe(ref ss, (nuint)i);
                Vector256.ConditionalSelect(positive, Vector256.LoadUnsafe(ref ps, (nuint)i), other).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            var s = Vector128.Create(slope);
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
            {
                var positive = Vector128.GreaterThan(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128<T>.Zero);
                var other = s * Vector128.LoadUnsafe(ref ss, (nuint)i);
                Vector128.ConditionalSelect(positive, Vector128.LoadUnsafe(ref ps, (nuint)i), other).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) > T.Zero ? Unsafe.Add(ref ps, i) : slope * Unsafe.Add(ref ss, i);
    }

    /// <summary>
    /// Effectively computes <c>y[i] = x[i] &gt; 0 ? passed[i] : slopes[i] · scaled[i]</c>: <see cref="SelectPositive{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>
    /// with a slope for each element, a PReLU's on a row of channels (one value per channel: <c>[N, C]</c>).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void SelectPositive<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> passed, ReadOnlySpan<T> scaled, ReadOnlySpan<T> slopes, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(x, passed, y);
        CheckLengths(scaled, slopes, y);
        ref T xs = ref MemoryMarshal.GetReference(x), ps = ref MemoryMarshal.GetReference(passed), ss = ref MemoryMarshal.GetReference(scaled);
        ref T slope = ref MemoryMarshal.GetReference(slopes), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
            {
                var positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256<T>.Zero);
                var other = Vector256.LoadUnsafe(ref slope, (nuint)i) * Vector256.LoadUnsafe(ref ss, (nuint)i);
                Vector256.ConditionalSelect(positive, Vector256.LoadUnsafe(ref ps, (nuint)i), other).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
            {
                var positive = Vector128.GreaterThan(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128<T>.Zero);
                var other = Vector128.LoadUnsafe(ref slope, (nuint)i) * Vector128.LoadUnsafe(ref ss, (nuint)i);
                Vector128.ConditionalSelect(positive, Vector128.LoadUnsafe(ref ps, (nuint)i), other).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) > T.Zero ? Unsafe.Add(ref ps, i) : Unsafe.Add(ref slope, i) * Unsafe.Add(ref ss, i);
    }

    /// <summary>
    /// Whether every element of <paramref name="x"/> is finite; copies <paramref name="x"/> into
    /// <paramref name="copy"/> in the same pass unless <paramref name="copy"/> is empty.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static bool CopyAllFinite<T>(ReadOnlySpan<T> x, Span<T> copy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool copying = !copy.IsEmpty;
        if (copying && copy.Length != x.Length)
            throw KernelErrors.LengthOf(nameof(copy), "Copying {0} elements into {1}.", x.Length, copy.Length);
        ref T xs = ref MemoryMarshal.GetReference(x), cs = ref MemoryMarshal.GetReference(copy);
        int i = 0, width = KernelWidth.Exact;
        bool finite = true;
        // v − v is +0 for a finite v and NaN for ±∞ or NaN, so OR-ing the bits is zero exactly when all are finite;
        // an OR (one cycle) carries the dependency from vector to vector, not an add.
        if (width >= 256 && Vector256<T>.IsSupported)
        {
            var bits = Vector256<T>.Zero;
            for (; i + Vector256<T>.Count <= x.Length; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                if (copying) v.StoreUnsafe(ref cs, (nuint)i);
                bits |= v - v;
            }
            finite = bits == Vector256<T>.Zero;
        }
        if (width >= 128 && Vector128<T>.IsSupported)
        {
            var bits = Vector128<T>.Zero;
            for (; i + Vector128<T>.Count <= x.Length; i += Vector128<T>.Count)
            {
                var v = Vector128.LoadUnsafe(ref xs, (nuint)i);
                if (copying) v.StoreUnsafe(ref cs, (nuint)i);
                bits |= v - v;
            }
            finite &= bits == Vector128<T>.Zero;
        }
        for (; i < x.Length; i++)
        {
            T v = Unsafe.Add(ref xs, i);
            if (copying) Unsafe.Add(ref cs, i) = v;
            finite &= T.IsFinite(v);
        }
        return finite;
    }

    /// <summary>
    /// Effectively computes <c>sum[j] += rows[0, j] + rows[1, j] + …</c>, adding the rows one after another as a
    /// loop of per-row additions would, but keeping each column's running sum in a register.
    /// </summary>
    /// <remarks>Eight 256-bit vectors of columns go down the rows together: each column's sum is a chain of dependent
    /// additions, and one vector at a time waited out each addition's latency on every row (a 128-output layer's bias
    /// gradient at batch 256: sixteen chains of 256 additions one after another, about 6 µs). The order within each column
    /// is unchanged, so the sums are the same bits at every width.</remarks>
    [MethodImpl(HotPath.Options)]
    public static void AddRows<T>(ReadOnlySpan<T> rows, int width, Span<T> sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sum.Length != width || rows.Length % width != 0)
            throw KernelErrors.Lengths("Adding rows of {0} from {1} elements into {2}.", width, rows.Length, sum.Length);
        int count = rows.Length / width, j = 0;
        ref T r = ref MemoryMarshal.GetReference(rows), s = ref MemoryMarshal.GetReference(sum);
        int bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            int n = Vector256<T>.Count;
            for (; j + 8 * n <= width; j += 8 * n)
            {
                ref T top = ref Unsafe.Add(ref s, j);
                Vector256<T> t0 = Vector256.LoadUnsafe(ref top), t1 = Vector256.LoadUnsafe(ref top, (nuint)n);
                Vector256<T> t2 = Vector256.LoadUnsafe(ref top, (nuint)(2 * n)), t3 = Vector256.LoadUnsafe(ref top, (nuint)(3 * n));
                Vector256<T> t4 = Vector256.LoadUnsafe(ref top, (nuint)(4 * n)), t5 = Vector256.LoadUnsafe(ref top, (nuint)(5 * n));
                Vector256<T> t6 = Vector256.LoadUnsafe(ref top, (nuint)(6 * n)), t7 = Vector256.LoadUnsafe(ref top, (nuint)(7 * n));
                ref T row = ref Unsafe.Add(ref r, j);
                for (int i = 0; i < count; i++, row = ref Unsafe.Add(ref row, width))
                {
                    t0 += Vector256.LoadUnsafe(ref row);
                    t1 += Vector256.LoadUnsafe(ref row, (nuint)n);
                    t2 += Vector256.LoadUnsafe(ref row, (nuint)(2 * n));
                    t3 += Vector256.LoadUnsafe(ref row, (nuint)(3 * n));
                    t4 += Vector256.LoadUnsafe(ref row, (nuint)(4 * n));
                    t5 += Vector256.LoadUnsafe(ref row, (nuint)(5 * n));
                    t6 += Vector256.LoadUnsafe(ref row, (nuint)(6 * n));
                    t7 += Vector256.LoadUnsafe(ref row, (nuint)(7 * n));
                }
                t0.StoreUnsafe(ref top);
                t1.StoreUnsafe(ref top, (nuint)n);
                t2.StoreUnsafe(ref top, (nuint)(2 * n));
                t3.StoreUnsafe(ref top, (nuint)(3 * n));
                t4.StoreUnsafe(ref top, (nuint)(4 * n));
                t5.StoreUnsafe(ref top, (nuint)(5 * n));
                t6.StoreUnsafe(ref top, (nuint)(6 * n));
                t7.StoreUnsafe(ref top, (nuint)(7 * n));
            }
            for (; j + n <= width; j += n)
            {
                var total = Vector256.LoadUnsafe(ref s, (nuint)j);
                for (int row = 0; row < count; row++) total += Vector256.LoadUnsafe(ref r, (nuint)(row * width + j));
                total.StoreUnsafe(ref s, (nuint)j);
            }
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            for (; j + Vector128<T>.Count <= width; j += Vector128<T>.Count)
            {
                var total = Vector128.LoadUnsafe(ref s, (nuint)j);
                for (int row = 0; row < count; row++) total += Vector128.LoadUnsafe(ref r, (nuint)(row * width + j));
                total.StoreUnsafe(ref s, (nuint)j);
            }
        }
        for (; j < width; j++)
        {
            T total = Unsafe.Add(ref s, j);
            for (int row = 0; row < count; row++) total += Unsafe.Add(ref r, row * width + j);
            Unsafe.Add(ref s, j) = total;
        }
    }

    [MethodImpl(HotPath.Options)]
    internal static void CheckLengths<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> destination)
    {
        if (first.Length != destination.Length || second.Length != destination.Length)
            throw LengthsDiffer(first.Length, second.Length, destination.Length);
    }

    // Built apart, so that the checks compiled into every pass do not carry the message's formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException LengthsDiffer(int first, int second, int destination) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Elementwise operation on spans of {first}, {second} and {destination} elements."));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException LengthsDiffer(int source, int destination) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Elementwise operation on spans of {source} and {destination} elements."));
}
