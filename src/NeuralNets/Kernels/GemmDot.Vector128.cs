using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The row-dot product on CPUs whose widest vectors are 128 bits (ARM64's NEON; SSE-only x86 and WebAssembly in the unfused family). Each accumulator of the
/// 256-bit path becomes a pair of 128-bit ones, its lower and upper half, stepping over k by the same
/// eight floats (four doubles); the pair is folded and summed in the 256-bit path's order, and the tail
/// is the same scalar multiply-add chain. So every element of C is bit-identical to the wider paths' of the family.
/// </summary>
internal static unsafe partial class GemmDot
{
    private static void RunChunk128<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint n, T* addend, nint addendStride, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        for (int i = i0; i < i1; i++)
        {
            T* row = a + i * k, cRow = c + i * n, addRow = Offset(addend, i * addendStride);
            int j = j0;
            for (; j + 2 <= j1; j += 2) Tile1x2Pairs<T, TMultiplyAdd>(row, b + j * k, k, length, cRow + j, Offset(addRow, j));
            for (; j < j1; j++) SinglePairs<T, TMultiplyAdd>(row, b + j * k, length, cRow + j, Offset(addRow, j));
        }
    }

    /// <summary>Two elements of one row of C: two pairs of accumulators over the same row of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2Pairs<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count, p = 0;
        T* b1 = b + k;
        Vector128<T> s0 = default, h0 = default, s1 = default, h1 = default;
        for (; p + 2 * w <= length; p += 2 * w)
        {
            var x = Vector128.Load(a + p);
            var xh = Vector128.Load(a + p + w);
            s0 = TMultiplyAdd.Of(x, Vector128.Load(b + p), s0);
            h0 = TMultiplyAdd.Of(xh, Vector128.Load(b + p + w), h0);
            s1 = TMultiplyAdd.Of(x, Vector128.Load(b1 + p), s1);
            h1 = TMultiplyAdd.Of(xh, Vector128.Load(b1 + p + w), h1);
        }
        FinishSum<T, TMultiplyAdd>(a, b, p, length, Fold(s0, h0), c, add);
        FinishSum<T, TMultiplyAdd>(a, b1, p, length, Fold(s1, h1), c + 1, Offset(add, 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SinglePairs<T, TMultiplyAdd>(T* a, T* b, int length, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count, p = 0;
        Vector128<T> s = default, h = default;
        for (; p + 2 * w <= length; p += 2 * w)
        {
            s = TMultiplyAdd.Of(Vector128.Load(a + p), Vector128.Load(b + p), s);
            h = TMultiplyAdd.Of(Vector128.Load(a + p + w), Vector128.Load(b + p + w), h);
        }
        FinishSum<T, TMultiplyAdd>(a, b, p, length, Fold(s, h), c, add);
    }

    /// <summary>The 256-bit path's horizontal sum of the accumulator whose halves are <paramref name="lower"/> and <paramref name="upper"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Fold<T>(Vector128<T> lower, Vector128<T> upper) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = lower + upper;
        if (typeof(T) == typeof(float)) return (e.GetElement(0) + e.GetElement(2)) + (e.GetElement(1) + e.GetElement(3));
        return e.GetElement(0) + e.GetElement(1);
    }
}
