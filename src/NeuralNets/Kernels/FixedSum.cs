using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Sums, sums of magnitudes and dot products whose order of additions is fixed, whatever the CPU's vector width: the same
/// value on AVX-512, AVX2, NEON and scalar CPUs (dot products: within one numeric family, <see cref="KernelWidth"/>) (unlike <c>TensorPrimitives.Sum</c>, whose order follows the width).
/// </summary>
/// <remarks>
/// The order: 32 lanes (<see cref="Lanes"/>), lane l summing elements l, l + 32, l + 64, … of the whole blocks of
/// 32 (a dot product with one multiply-add per element, of the CPU's numeric family); then the lanes folded in halves (lane i plus lane
/// i + 16, then i + 8, i + 4, i + 2, i + 1); then the remaining elements added one by one. A 512-bit CPU holds the
/// lanes in two float vectors (four double), a 256-bit one in four, a 128-bit one in eight, a scalar loop in 32
/// variables: each computes exactly these operations, so the result is bit-identical. A row shorter than 32 is
/// summed element after element, as a plain loop would.
/// </remarks>
internal static partial class FixedSum
{
    /// <summary>The number of partial sums (lanes) kept over the whole blocks.</summary>
    public const int Lanes = 32;

    /// <summary>Σ x[i], in the fixed order.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Reduce<T, Plain<T>>(x, x);

    /// <summary>Σ |x[i]|, in the fixed order (each magnitude exact, so the same value in both numeric families).</summary>
    public static T SumOfMagnitudes<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Reduce<T, Magnitude<T>>(x, x);

    /// <summary>
    /// Σ x[i]·y[i], one multiply-add per element (fused in the fused family, a product then a sum in the unfused
    /// one: <see cref="KernelWidth.FusedFamily"/>), in the fixed order.
    /// </summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Dot product of spans of {x.Length} and {y.Length} elements."));
        return KernelWidth.FusedFamily ? Reduce<T, MultiplyAddStep<T, Fused>>(x, y) : Reduce<T, MultiplyAddStep<T, Unfused>>(x, y);
    }

    private interface IStep<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Invoke(T sum, T x, T y);
        static abstract Vector512<T> Invoke(Vector512<T> sum, Vector512<T> x, Vector512<T> y);
        static abstract Vector256<T> Invoke(Vector256<T> sum, Vector256<T> x, Vector256<T> y);
        static abstract Vector128<T> Invoke(Vector128<T> sum, Vector128<T> x, Vector128<T> y);
    }

    private readonly struct Plain<T> : IStep<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T sum, T x, T y) => sum + x;
        public static Vector512<T> Invoke(Vector512<T> sum, Vector512<T> x, Vector512<T> y) => sum + x;
        public static Vector256<T> Invoke(Vector256<T> sum, Vector256<T> x, Vector256<T> y) => sum + x;
        public static Vector128<T> Invoke(Vector128<T> sum, Vector128<T> x, Vector128<T> y) => sum + x;
    }

    private readonly struct Magnitude<T> : IStep<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T sum, T x, T y) => sum + T.Abs(x);
        public static Vector512<T> Invoke(Vector512<T> sum, Vector512<T> x, Vector512<T> y) => sum + Vector512.Abs(x);
        public static Vector256<T> Invoke(Vector256<T> sum, Vector256<T> x, Vector256<T> y) => sum + Vector256.Abs(x);
        public static Vector128<T> Invoke(Vector128<T> sum, Vector128<T> x, Vector128<T> y) => sum + Vector128.Abs(x);
    }

    /// <summary>One multiply-add per element, fused or not as <typeparamref name="TMultiplyAdd"/> says.</summary>
    private readonly struct MultiplyAddStep<T, TMultiplyAdd> : IStep<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        public static T Invoke(T sum, T x, T y) => TMultiplyAdd.Of(x, y, sum);
        public static Vector512<T> Invoke(Vector512<T> sum, Vector512<T> x, Vector512<T> y) => TMultiplyAdd.Of(x, y, sum);
        public static Vector256<T> Invoke(Vector256<T> sum, Vector256<T> x, Vector256<T> y) => TMultiplyAdd.Of(x, y, sum);
        public static Vector128<T> Invoke(Vector128<T> sum, Vector128<T> x, Vector128<T> y) => TMultiplyAdd.Of(x, y, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Reduce<T, TStep>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IStep<T>
    {
        ref T xs = ref MemoryMarshal.GetReference(x), ys = ref MemoryMarshal.GetReference(y);
        int blocks = x.Length / Lanes * Lanes, bits = KernelWidth.MultiplyAdd;
        T sum = T.Zero;
        if (blocks > 0 && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            // The widths' lane counts (16 floats in a 512-bit vector, …) divide 32 only for float and double.
            if (bits == 512) sum = Blocks512<T, TStep>(ref xs, ref ys, blocks);
            else if (bits == 256) sum = Blocks256<T, TStep>(ref xs, ref ys, blocks);
            else if (bits == 128) sum = Blocks128<T, TStep>(ref xs, ref ys, blocks);
            else sum = BlocksScalar<T, TStep>(ref xs, ref ys, blocks);
        }
        else blocks = 0;
        for (int i = blocks; i < x.Length; i++) sum = TStep.Invoke(sum, Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        return sum;
    }

    [MethodImpl(HotPath.Options)]
    private static T Blocks512<T, TStep>(ref T xs, ref T ys, int blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IStep<T>
    {
        int w = Vector512<T>.Count, count = Lanes / w;   // 2 float vectors, 4 double
        Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < blocks; i += Lanes)
        {
            a0 = TStep.Invoke(a0, Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
            a1 = TStep.Invoke(a1, Vector512.LoadUnsafe(ref xs, (nuint)(i + w)), Vector512.LoadUnsafe(ref ys, (nuint)(i + w)));
            if (count == 4)
            {
                a2 = TStep.Invoke(a2, Vector512.LoadUnsafe(ref xs, (nuint)(i + 2 * w)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 2 * w)));
                a3 = TStep.Invoke(a3, Vector512.LoadUnsafe(ref xs, (nuint)(i + 3 * w)), Vector512.LoadUnsafe(ref ys, (nuint)(i + 3 * w)));
            }
        }
        // Lanes i and i + 16: for doubles the first fold pairs vector 0 with 2 and 1 with 3.
        if (count == 4)
        {
            a0 += a2;
            a1 += a3;
        }
        return Fold(a0 + a1);
    }

    // The lanes live in locals, not in a stack array: the JIT keeps locals in registers, while an array's elements make
    // every block wait for the store of the one before.
    [MethodImpl(HotPath.Options)]
    private static T Blocks256<T, TStep>(ref T xs, ref T ys, int blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IStep<T>
    {
        int w = Vector256<T>.Count;
        bool eight = Lanes / w == 8;   // 4 float vectors, 8 double
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < blocks; i += Lanes)
        {
            a0 = TStep.Invoke(a0, Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
            a1 = TStep.Invoke(a1, Vector256.LoadUnsafe(ref xs, (nuint)(i + w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + w)));
            a2 = TStep.Invoke(a2, Vector256.LoadUnsafe(ref xs, (nuint)(i + 2 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 2 * w)));
            a3 = TStep.Invoke(a3, Vector256.LoadUnsafe(ref xs, (nuint)(i + 3 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 3 * w)));
            if (eight)
            {
                a4 = TStep.Invoke(a4, Vector256.LoadUnsafe(ref xs, (nuint)(i + 4 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 4 * w)));
                a5 = TStep.Invoke(a5, Vector256.LoadUnsafe(ref xs, (nuint)(i + 5 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 5 * w)));
                a6 = TStep.Invoke(a6, Vector256.LoadUnsafe(ref xs, (nuint)(i + 6 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 6 * w)));
                a7 = TStep.Invoke(a7, Vector256.LoadUnsafe(ref xs, (nuint)(i + 7 * w)), Vector256.LoadUnsafe(ref ys, (nuint)(i + 7 * w)));
            }
        }
        // Lane i plus lane i + 16 (vector v plus vector v + 4 for doubles, v + 2 for floats), then i + 8, …
        if (eight)
        {
            a0 += a4; a1 += a5; a2 += a6; a3 += a7;
        }
        a0 += a2; a1 += a3;
        return Fold(a0 + a1);
    }

    [MethodImpl(HotPath.Options)]
    private static T Blocks128<T, TStep>(ref T xs, ref T ys, int blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IStep<T>
    {
        int w = Vector128<T>.Count;
        bool sixteen = Lanes / w == 16;   // 8 float vectors, 16 double
        Vector128<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector128<T> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int i = 0; i < blocks; i += Lanes)
        {
            a0 = TStep.Invoke(a0, Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i));
            a1 = TStep.Invoke(a1, Vector128.LoadUnsafe(ref xs, (nuint)(i + w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + w)));
            a2 = TStep.Invoke(a2, Vector128.LoadUnsafe(ref xs, (nuint)(i + 2 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 2 * w)));
            a3 = TStep.Invoke(a3, Vector128.LoadUnsafe(ref xs, (nuint)(i + 3 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 3 * w)));
            a4 = TStep.Invoke(a4, Vector128.LoadUnsafe(ref xs, (nuint)(i + 4 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 4 * w)));
            a5 = TStep.Invoke(a5, Vector128.LoadUnsafe(ref xs, (nuint)(i + 5 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 5 * w)));
            a6 = TStep.Invoke(a6, Vector128.LoadUnsafe(ref xs, (nuint)(i + 6 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 6 * w)));
            a7 = TStep.Invoke(a7, Vector128.LoadUnsafe(ref xs, (nuint)(i + 7 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 7 * w)));
            if (sixteen)
            {
                b0 = TStep.Invoke(b0, Vector128.LoadUnsafe(ref xs, (nuint)(i + 8 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 8 * w)));
                b1 = TStep.Invoke(b1, Vector128.LoadUnsafe(ref xs, (nuint)(i + 9 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 9 * w)));
                b2 = TStep.Invoke(b2, Vector128.LoadUnsafe(ref xs, (nuint)(i + 10 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 10 * w)));
                b3 = TStep.Invoke(b3, Vector128.LoadUnsafe(ref xs, (nuint)(i + 11 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 11 * w)));
                b4 = TStep.Invoke(b4, Vector128.LoadUnsafe(ref xs, (nuint)(i + 12 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 12 * w)));
                b5 = TStep.Invoke(b5, Vector128.LoadUnsafe(ref xs, (nuint)(i + 13 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 13 * w)));
                b6 = TStep.Invoke(b6, Vector128.LoadUnsafe(ref xs, (nuint)(i + 14 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 14 * w)));
                b7 = TStep.Invoke(b7, Vector128.LoadUnsafe(ref xs, (nuint)(i + 15 * w)), Vector128.LoadUnsafe(ref ys, (nuint)(i + 15 * w)));
            }
        }
        // Lane i plus lane i + 16 (vector v plus v + 8 for doubles, v + 4 for floats), then i + 8, …
        if (sixteen)
        {
            a0 += b0; a1 += b1; a2 += b2; a3 += b3; a4 += b4; a5 += b5; a6 += b6; a7 += b7;
        }
        a0 += a4; a1 += a5; a2 += a6; a3 += a7;
        a0 += a2; a1 += a3;
        return Fold(a0 + a1);
    }

    [MethodImpl(HotPath.Options)]
    private static T BlocksScalar<T, TStep>(ref T xs, ref T ys, int blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TStep : struct, IStep<T>
    {
        Span<T> lanes = stackalloc T[Lanes];
        lanes.Clear();
        for (int i = 0; i < blocks; i += Lanes)
            for (int l = 0; l < Lanes; l++) lanes[l] = TStep.Invoke(lanes[l], Unsafe.Add(ref xs, i + l), Unsafe.Add(ref ys, i + l));
        for (int half = Lanes / 2; half >= 1; half /= 2)
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        return lanes[0];
    }

    // The last folds, inside one vector: halves, then quarters, down to one lane.
    private static T Fold<T>(Vector512<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Fold(v.GetLower() + v.GetUpper());

    private static T Fold<T>(Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Fold(v.GetLower() + v.GetUpper());

    private static T Fold<T>(Vector128<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector128<T>.Count == 4) return (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3));
        return v.GetElement(0) + v.GetElement(1);
    }
}
