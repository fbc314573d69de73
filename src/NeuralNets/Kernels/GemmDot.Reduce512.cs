using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The wide tiles' reductions, done on whole 512-bit registers. Each accumulator holds two sets of lanes (its 256-bit
/// halves), each set one element's chain; every set is summed with exactly the additions of <see cref="Reduce4(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>,
/// operands in the same order, so the bits are those of the 256-bit reduction. Four accumulators (eight sets) take seven
/// shuffles and four additions, and one permutation puts two rows' sums in column order; taking the halves apart first
/// and reducing four sets at a time took three times the shuffles, on the port the 512-bit multiply-adds also use.
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>
    /// The eight sets of <paramref name="z0"/> to <paramref name="z3"/> (set 2i the lower half of z_i, 2i + 1 its upper half)
    /// summed. Float: element 4i is set i's sum and element 4i + 1 set i + 4's. Double: element 2i is set i's, 2i + 1 set i + 4's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> SumSets<T>(Vector512<T> z0, Vector512<T> z1, Vector512<T> z2, Vector512<T> z3) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            // u's 128-bit lane i: set i's lower quarter plus its upper quarter (a = lower + upper in Reduce4); v likewise sets 4 to 7.
            var u = Avx512F.Shuffle4x128(z0.AsSingle(), z1.AsSingle(), 0x88) + Avx512F.Shuffle4x128(z0.AsSingle(), z1.AsSingle(), 0xDD);
            var v = Avx512F.Shuffle4x128(z2.AsSingle(), z3.AsSingle(), 0x88) + Avx512F.Shuffle4x128(z2.AsSingle(), z3.AsSingle(), 0xDD);
            // Lane i: (u[0] + u[2], v[0] + v[2], u[1] + u[3], v[1] + v[3]), then the first two plus the last two.
            var p = Avx512F.UnpackLow(u, v) + Avx512F.UnpackHigh(u, v);
            return (p + Avx512F.Permute4x32(p, 0x4E)).As<float, T>();
        }
        var ud = Avx512F.Shuffle4x128(z0.AsDouble(), z1.AsDouble(), 0x88) + Avx512F.Shuffle4x128(z0.AsDouble(), z1.AsDouble(), 0xDD);
        var vd = Avx512F.Shuffle4x128(z2.AsDouble(), z3.AsDouble(), 0x88) + Avx512F.Shuffle4x128(z2.AsDouble(), z3.AsDouble(), 0xDD);
        // Lane i: (u[0] + u[1], v[0] + v[1]), as the 256-bit reduction's horizontal addition.
        return (Avx512F.UnpackLow(ud, vd) + Avx512F.UnpackHigh(ud, vd)).As<double, T>();
    }

    /// <summary>
    /// Two rows of a packed tile (accumulators a0–a3 and b0–b3, columns 2q and 2q + 1 in the halves of a_q): their eight
    /// sums each, plus the addends where there are, stored at <paramref name="target"/> and <paramref name="target"/> + <paramref name="stride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumnPairRows<T>(Vector512<T> a0, Vector512<T> a1, Vector512<T> a2, Vector512<T> a3,
        Vector512<T> b0, Vector512<T> b1, Vector512<T> b2, Vector512<T> b3, T* target, nint stride, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = SumSets(a0, a1, a2, a3);
        var second = SumSets(b0, b1, b2, b3);
        if (typeof(T) == typeof(float))
        {
            var rows = Avx512F.PermuteVar16x32x2(first.AsSingle(), Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 16, 20, 24, 28, 17, 21, 25, 29), second.AsSingle());
            StoreRows(rows.GetLower(), rows.GetUpper(), (float*)target, stride, (float*)add, addStride);
            return;
        }
        var order = Vector512.Create(0L, 2, 4, 6, 1, 3, 5, 7);
        StoreRows(Avx512F.PermuteVar8x64(first.AsDouble(), order), Avx512F.PermuteVar8x64(second.AsDouble(), order), (double*)target, stride, (double*)add, addStride);
    }

    /// <summary>One row of a packed tile: <see cref="StoreColumnPairRows{T}"/> for a single row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumnPairs<T>(Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, T* target, T* add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sums = SumSets(s0, s1, s2, s3);
        if (typeof(T) == typeof(float))
        {
            var row = Avx512F.PermuteVar16x32(sums.AsSingle(), Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower();
            if (add != null) row += Vector256.Load((float*)add);
            row.Store((float*)target);
            return;
        }
        var rowd = Avx512F.PermuteVar8x64(sums.AsDouble(), Vector512.Create(0L, 2, 4, 6, 1, 3, 5, 7));
        if (add != null) rowd += Vector512.Load((double*)add);
        rowd.Store((double*)target);
    }

    /// <summary>
    /// Two rows of an unpacked wide tile (accumulator j holds column j of the first row in its lower half and of the second
    /// row in its upper half): their eight sums each, plus the addends where there are, stored at <paramref name="target"/>
    /// and <paramref name="target"/> + <paramref name="stride"/>.
    /// </summary>
    /// <remarks>
    /// It calls nothing. The wide tiles reduce all their accumulators first and only then call <see cref="CompleteTails{T, TMultiplyAdd}"/>
    /// for a tail of k: any call made while accumulators are still live (every vector register is the caller's to save) made
    /// the JIT keep all of them in memory through the loop. Before, the tails' loops were inlined after each reduction
    /// (twelve times in the six-row tile), and compiling the wide tiles was most of a process's first training step.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairRows<T>(Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, Vector512<T> s4, Vector512<T> s5, Vector512<T> s6, Vector512<T> s7,
        T* target, nint stride, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sets in order: (row 0, column 0), (row 1, column 0), (row 0, column 1), ...
        var left = SumSets(s0, s1, s2, s3);
        var right = SumSets(s4, s5, s6, s7);
        if (typeof(T) == typeof(float))
        {
            var rows = Avx512F.PermuteVar16x32x2(left.AsSingle(), Vector512.Create(0, 8, 1, 9, 16, 24, 17, 25, 4, 12, 5, 13, 20, 28, 21, 29), right.AsSingle());
            StoreRows(rows.GetLower(), rows.GetUpper(), (float*)target, stride, (float*)add, addStride);
            return;
        }
        StoreRows(Avx512F.PermuteVar8x64x2(left.AsDouble(), Vector512.Create(0L, 4, 1, 5, 8, 12, 9, 13), right.AsDouble()),
            Avx512F.PermuteVar8x64x2(left.AsDouble(), Vector512.Create(2L, 6, 3, 7, 10, 14, 11, 15), right.AsDouble()),
            (double*)target, stride, (double*)add, addStride);
    }

    /// <summary>Two rows of eight float sums, each plus its addend where there is one (sum + addend, as the 256-bit stores add), stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(Vector256<float> first, Vector256<float> second, float* target, nint stride, float* add, nint addStride)
    {
        if (add != null)
        {
            first += Vector256.Load(add);
            second += Vector256.Load(add + addStride);
        }
        first.Store(target);
        second.Store(target + stride);
    }

    /// <summary>Two rows of eight double sums, as <see cref="StoreRows(Vector256{float}, Vector256{float}, float*, nint, float*, nint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(Vector512<double> first, Vector512<double> second, double* target, nint stride, double* add, nint addStride)
    {
        if (add != null)
        {
            first += Vector512.Load(add);
            second += Vector512.Load(add + addStride);
        }
        first.Store(target);
        second.Store(target + stride);
    }
}
