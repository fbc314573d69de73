using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The "hard" activations (PyTorch's Hardtanh and ReLU6, Hardsigmoid, Hardswish): clamps, additions, one product and
/// one division per element, in PyTorch's order of operations, so the results are PyTorch's bit for bit in float and
/// double. Minimum and maximum carry a NaN through (IEEE 754 minimum and maximum, as PyTorch's vectorised kernels), and
/// every operation is exact per element, so the 256-bit, 128-bit and scalar loops agree (<see cref="KernelWidth.Exact"/>).
/// </summary>
internal static class HardActivations
{
    /// <summary>One function and its derivative, written once for scalars and once for each vector width.</summary>
    internal interface IHardFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        T Forward(T x);
        Vector256<T> Forward(Vector256<T> x);
        Vector128<T> Forward(Vector128<T> x);
        T Backward(T x, T dy);
        Vector256<T> Backward(Vector256<T> x, Vector256<T> dy);
        Vector128<T> Backward(Vector128<T> x, Vector128<T> dy);
    }

    /// <summary>Effectively computes <c>y[i] = f(x[i])</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Forward<T, TFunction>(TFunction f, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TFunction : struct, IHardFunction<T>
    {
        Elementwise.CheckLengths(x, x, y);
        ref T xs = ref MemoryMarshal.GetReference(x), ys = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= y.Length; i += Vector256<T>.Count)
                f.Forward(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        if (bits >= 128 && Vector128<T>.IsSupported)
            for (; i + Vector128<T>.Count <= y.Length; i += Vector128<T>.Count)
                f.Forward(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < y.Length; i++) Unsafe.Add(ref ys, i) = f.Forward(Unsafe.Add(ref xs, i));
    }

    /// <summary>Effectively computes <c>dx[i] = dy[i] · f′(x[i])</c> as PyTorch's backward kernel does.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Backward<T, TFunction>(TFunction f, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> where TFunction : struct, IHardFunction<T>
    {
        Elementwise.CheckLengths(x, dy, dx);
        ref T xs = ref MemoryMarshal.GetReference(x), gs = ref MemoryMarshal.GetReference(dy), ds = ref MemoryMarshal.GetReference(dx);
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= dx.Length; i += Vector256<T>.Count)
                f.Backward(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref gs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        if (bits >= 128 && Vector128<T>.IsSupported)
            for (; i + Vector128<T>.Count <= dx.Length; i += Vector128<T>.Count)
                f.Backward(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref gs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < dx.Length; i++) Unsafe.Add(ref ds, i) = f.Backward(Unsafe.Add(ref xs, i), Unsafe.Add(ref gs, i));
    }

    /// <summary>
    /// min(max(x, lower), upper); the gradient passes strictly inside (lower, upper) and is 0 at the bounds, outside and
    /// at a NaN, as PyTorch's vectorised hardtanh_backward (its scalar tail lets a NaN's gradient through).
    /// </summary>
    internal readonly struct Clamp<T>(T lower, T upper) : IHardFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Forward(T x) => T.Min(T.Max(x, lower), upper);
        public Vector256<T> Forward(Vector256<T> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(lower)), Vector256.Create(upper));
        public Vector128<T> Forward(Vector128<T> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(lower)), Vector128.Create(upper));
        public T Backward(T x, T dy) => x > lower && x < upper ? dy : T.Zero;
        public Vector256<T> Backward(Vector256<T> x, Vector256<T> dy) =>
            Vector256.BitwiseAnd(Vector256.GreaterThan(x, Vector256.Create(lower)) & Vector256.LessThan(x, Vector256.Create(upper)), dy);
        public Vector128<T> Backward(Vector128<T> x, Vector128<T> dy) =>
            Vector128.BitwiseAnd(Vector128.GreaterThan(x, Vector128.Create(lower)) & Vector128.LessThan(x, Vector128.Create(upper)), dy);
    }

    /// <summary>
    /// min(max(x + 3, 0), 6) / 6; the gradient is dy · (1/6 rounded to float) strictly inside (−3, 3) and 0 elsewhere and
    /// at a NaN. PyTorch multiplies by the float 1/6 in double too (0.16666667163372040), and so does this.
    /// </summary>
    internal readonly struct Sigmoid<T> : IHardFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static T Three => T.CreateTruncating(3);
        private static T Six => T.CreateTruncating(6);
        private static T OneSixth => T.CreateTruncating(1f / 6f);

        public T Forward(T x) => T.Min(T.Max(x + Three, T.Zero), Six) / Six;
        public Vector256<T> Forward(Vector256<T> x) => Vector256.Min(Vector256.Max(x + Vector256.Create(Three), Vector256<T>.Zero), Vector256.Create(Six)) / Vector256.Create(Six);
        public Vector128<T> Forward(Vector128<T> x) => Vector128.Min(Vector128.Max(x + Vector128.Create(Three), Vector128<T>.Zero), Vector128.Create(Six)) / Vector128.Create(Six);
        public T Backward(T x, T dy) => x > -Three && x < Three ? dy * OneSixth : T.Zero;
        public Vector256<T> Backward(Vector256<T> x, Vector256<T> dy) =>
            Vector256.BitwiseAnd(Vector256.GreaterThan(x, Vector256.Create(-Three)) & Vector256.LessThan(x, Vector256.Create(Three)), dy * Vector256.Create(OneSixth));
        public Vector128<T> Backward(Vector128<T> x, Vector128<T> dy) =>
            Vector128.BitwiseAnd(Vector128.GreaterThan(x, Vector128.Create(-Three)) & Vector128.LessThan(x, Vector128.Create(Three)), dy * Vector128.Create(OneSixth));
    }

    /// <summary>
    /// x · min(max(x + 3, 0), 6) / 6; the gradient is 0 below −3, dy from 3 on, dy · (x / 3 + 0.5) between, and NaN at a
    /// NaN, as PyTorch's vectorised hardswish_backward (its scalar tail gives dy at a NaN and 1.5·dy at exactly 3).
    /// </summary>
    internal readonly struct Swish<T> : IHardFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static T Three => T.CreateTruncating(3);
        private static T Six => T.CreateTruncating(6);
        private static T Half => T.CreateTruncating(0.5);

        public T Forward(T x) => x * T.Min(T.Max(x + Three, T.Zero), Six) / Six;
        public Vector256<T> Forward(Vector256<T> x) => x * Vector256.Min(Vector256.Max(x + Vector256.Create(Three), Vector256<T>.Zero), Vector256.Create(Six)) / Vector256.Create(Six);
        public Vector128<T> Forward(Vector128<T> x) => x * Vector128.Min(Vector128.Max(x + Vector128.Create(Three), Vector128<T>.Zero), Vector128.Create(Six)) / Vector128.Create(Six);
        public T Backward(T x, T dy) => x < -Three ? T.Zero : x >= Three ? dy : dy * (x / Three + Half);
        public Vector256<T> Backward(Vector256<T> x, Vector256<T> dy)
        {
            var between = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(Three)), dy, dy * (x / Vector256.Create(Three) + Vector256.Create(Half)));
            return Vector256.AndNot(between, Vector256.LessThan(x, Vector256.Create(-Three)));
        }
        public Vector128<T> Backward(Vector128<T> x, Vector128<T> dy)
        {
            var between = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(Three)), dy, dy * (x / Vector128.Create(Three) + Vector128.Create(Half)));
            return Vector128.AndNot(between, Vector128.LessThan(x, Vector128.Create(-Three)));
        }
    }
}
