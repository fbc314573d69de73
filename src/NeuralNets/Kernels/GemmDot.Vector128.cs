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
        int i = i0;
        // Four rows by two columns where the CPU has 32 vector registers (ARM64; x86 with AVX-512, where tests run this
        // width): sixteen chains, enough for a multiply-add unit of four pipes.
        if (MicroKernel128.ThirtyTwoRegisters)
        {
            for (; i + 4 <= i1; i += 4)
            {
                T* row = a + i * k, cRow = c + i * n, addRow = Offset(addend, i * addendStride);
                int j = j0;
                for (; j + 2 <= j1; j += 2)
                    Tile4x2Pairs<T, TMultiplyAdd>(row, b + j * k, k, length, cRow + j, n, Offset(addRow, j), addendStride);
                for (; j < j1; j++)
                    for (int r = 0; r < 4; r++)
                        SinglePairs<T, TMultiplyAdd>(row + r * k, b + j * k, length, cRow + r * n + j, Offset(addRow, r * addendStride + j));
            }
        }
        // Two rows by two columns where they fit: eight chains of multiply-adds in flight, where one row's four only half
        // cover the latency of a two-pipe multiply-add unit; and each row of A and B loaded serves two elements.
        for (; i + 2 <= i1; i += 2)
        {
            T* row = a + i * k, cRow = c + i * n, addRow = Offset(addend, i * addendStride);
            int j = j0;
            for (; j + 2 <= j1; j += 2)
                Tile2x2Pairs<T, TMultiplyAdd>(row, b + j * k, k, length, cRow + j, n, Offset(addRow, j), addendStride);
            for (; j < j1; j++)
            {
                SinglePairs<T, TMultiplyAdd>(row, b + j * k, length, cRow + j, Offset(addRow, j));
                SinglePairs<T, TMultiplyAdd>(row + k, b + j * k, length, cRow + n + j, Offset(addRow, addendStride + j));
            }
        }
        for (; i < i1; i++)
        {
            T* row = a + i * k, cRow = c + i * n, addRow = Offset(addend, i * addendStride);
            int j = j0;
            for (; j + 2 <= j1; j += 2) Tile1x2Pairs<T, TMultiplyAdd>(row, b + j * k, k, length, cRow + j, Offset(addRow, j));
            for (; j < j1; j++) SinglePairs<T, TMultiplyAdd>(row, b + j * k, length, cRow + j, Offset(addRow, j));
        }
    }

    /// <summary>Four rows by two columns of C: eight pairs of accumulators, over four rows of A and two of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2Pairs<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count, p = 0;
        T* a1 = a + k, a2 = a1 + k, a3 = a2 + k, b1 = b + k;
        Vector128<T> s00 = default, h00 = default, s01 = default, h01 = default;
        Vector128<T> s10 = default, h10 = default, s11 = default, h11 = default;
        Vector128<T> s20 = default, h20 = default, s21 = default, h21 = default;
        Vector128<T> s30 = default, h30 = default, s31 = default, h31 = default;
        for (; p + 2 * w <= length; p += 2 * w)
        {
            var y0 = Vector128.Load(b + p);
            var z0 = Vector128.Load(b + p + w);
            var y1 = Vector128.Load(b1 + p);
            var z1 = Vector128.Load(b1 + p + w);
            var x = Vector128.Load(a + p);
            var xh = Vector128.Load(a + p + w);
            s00 = TMultiplyAdd.Of(x, y0, s00);
            h00 = TMultiplyAdd.Of(xh, z0, h00);
            s01 = TMultiplyAdd.Of(x, y1, s01);
            h01 = TMultiplyAdd.Of(xh, z1, h01);
            x = Vector128.Load(a1 + p);
            xh = Vector128.Load(a1 + p + w);
            s10 = TMultiplyAdd.Of(x, y0, s10);
            h10 = TMultiplyAdd.Of(xh, z0, h10);
            s11 = TMultiplyAdd.Of(x, y1, s11);
            h11 = TMultiplyAdd.Of(xh, z1, h11);
            x = Vector128.Load(a2 + p);
            xh = Vector128.Load(a2 + p + w);
            s20 = TMultiplyAdd.Of(x, y0, s20);
            h20 = TMultiplyAdd.Of(xh, z0, h20);
            s21 = TMultiplyAdd.Of(x, y1, s21);
            h21 = TMultiplyAdd.Of(xh, z1, h21);
            x = Vector128.Load(a3 + p);
            xh = Vector128.Load(a3 + p + w);
            s30 = TMultiplyAdd.Of(x, y0, s30);
            h30 = TMultiplyAdd.Of(xh, z0, h30);
            s31 = TMultiplyAdd.Of(x, y1, s31);
            h31 = TMultiplyAdd.Of(xh, z1, h31);
        }
        FinishSum<T, TMultiplyAdd>(a, b, p, length, Fold(s00, h00), c, add);
        FinishSum<T, TMultiplyAdd>(a, b1, p, length, Fold(s01, h01), c + 1, Offset(add, 1));
        FinishSum<T, TMultiplyAdd>(a1, b, p, length, Fold(s10, h10), c + ldc, Offset(add, addStride));
        FinishSum<T, TMultiplyAdd>(a1, b1, p, length, Fold(s11, h11), c + ldc + 1, Offset(add, addStride + 1));
        FinishSum<T, TMultiplyAdd>(a2, b, p, length, Fold(s20, h20), c + 2 * ldc, Offset(add, 2 * addStride));
        FinishSum<T, TMultiplyAdd>(a2, b1, p, length, Fold(s21, h21), c + 2 * ldc + 1, Offset(add, 2 * addStride + 1));
        FinishSum<T, TMultiplyAdd>(a3, b, p, length, Fold(s30, h30), c + 3 * ldc, Offset(add, 3 * addStride));
        FinishSum<T, TMultiplyAdd>(a3, b1, p, length, Fold(s31, h31), c + 3 * ldc + 1, Offset(add, 3 * addStride + 1));
    }

    /// <summary>Two rows by two columns of C: four pairs of accumulators, over two rows of A and two of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x2Pairs<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count, p = 0;
        T* a1 = a + k, b1 = b + k;
        Vector128<T> s00 = default, h00 = default, s01 = default, h01 = default;
        Vector128<T> s10 = default, h10 = default, s11 = default, h11 = default;
        for (; p + 2 * w <= length; p += 2 * w)
        {
            var y0 = Vector128.Load(b + p);
            var z0 = Vector128.Load(b + p + w);
            var y1 = Vector128.Load(b1 + p);
            var z1 = Vector128.Load(b1 + p + w);
            var x = Vector128.Load(a + p);
            var xh = Vector128.Load(a + p + w);
            s00 = TMultiplyAdd.Of(x, y0, s00);
            h00 = TMultiplyAdd.Of(xh, z0, h00);
            s01 = TMultiplyAdd.Of(x, y1, s01);
            h01 = TMultiplyAdd.Of(xh, z1, h01);
            x = Vector128.Load(a1 + p);
            xh = Vector128.Load(a1 + p + w);
            s10 = TMultiplyAdd.Of(x, y0, s10);
            h10 = TMultiplyAdd.Of(xh, z0, h10);
            s11 = TMultiplyAdd.Of(x, y1, s11);
            h11 = TMultiplyAdd.Of(xh, z1, h11);
        }
        FinishSum<T, TMultiplyAdd>(a, b, p, length, Fold(s00, h00), c, add);
        FinishSum<T, TMultiplyAdd>(a, b1, p, length, Fold(s01, h01), c + 1, Offset(add, 1));
        FinishSum<T, TMultiplyAdd>(a1, b, p, length, Fold(s10, h10), c + ldc, Offset(add, addStride));
        FinishSum<T, TMultiplyAdd>(a1, b1, p, length, Fold(s11, h11), c + ldc + 1, Offset(add, addStride + 1));
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
