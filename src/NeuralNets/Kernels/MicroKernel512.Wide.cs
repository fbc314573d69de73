using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

internal static unsafe partial class MicroKernel512
{
    /// <summary>Rows of the four-vector tile (<see cref="RunFourVectors{T}"/>).</summary>
    public const int WideRows = 6;

    /// <summary>
    /// The same product for two adjacent full panels at once: a 6×(4 vectors) tile, B's two panels at
    /// <paramref name="b"/> and <paramref name="b2"/> (each <paramref name="bStride"/> apart per step), C's columns those of
    /// both. Each step broadcasts six elements of A for 24 multiply-adds where the 8×(2 vectors) tile broadcasts eight for 16:
    /// fewer loads per multiply-add, which bound that tile at a shallow k (benchmarks/README.md). Each element of C is the
    /// same chain over k from zero as in <see cref="Run{T}"/>, so the bits are the same. Rows past <paramref name="rows"/>
    /// (at most <see cref="WideRows"/>) re-read the last row and are dropped.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void RunFourVectors<T>(int kc, T* a, nint rowStride, nint columnStride, T* b, T* b2, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A strip's last rows (a 128-row weight gradient ends with two) take a tile of that height: the six-row tile would
        // spend its multiply-adds on re-read rows. The rows it has compute exactly as in the six-row tile.
        if (rows > 4) RunFourVectors<T, Six>(kc, a, rowStride, columnStride, b, b2, bStride, c, ldc, rows, overwrite);
        else if (rows > 2) RunFourVectors<T, Four>(kc, a, rowStride, columnStride, b, b2, bStride, c, ldc, rows, overwrite);
        else RunFourVectors<T, Two>(kc, a, rowStride, columnStride, b, b2, bStride, c, ldc, rows, overwrite);
    }

    /// <summary><see cref="RunFourVectors{T}"/> with a tile <typeparamref name="TRows"/> rows high (at least <paramref name="rows"/>): the compiler drops the rows beyond it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void RunFourVectors<T, TRows>(int kc, T* a, nint rowStride, nint columnStride, T* b, T* b2, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRows : struct, IConstantCount
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<T> c50 = default, c51 = default, c52 = default, c53 = default;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        nint o4 = Math.Min(4, last) * rowStride;
        nint o5 = Math.Min(5, last) * rowStride;
        for (int s = 0; s < kc; s++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            var b2v = Vector512.Load(b2);
            var b3 = Vector512.Load(b2 + w);
            var x = Vector512.Create(a[0]);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01); c02 = Fma(x, b2v, c02); c03 = Fma(x, b3, c03);
            x = Vector512.Create(a[o1]);
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11); c12 = Fma(x, b2v, c12); c13 = Fma(x, b3, c13);
            if (TRows.Count > 2)
            {
                x = Vector512.Create(a[o2]);
                c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21); c22 = Fma(x, b2v, c22); c23 = Fma(x, b3, c23);
            }
            if (TRows.Count > 3)
            {
                x = Vector512.Create(a[o3]);
                c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31); c32 = Fma(x, b2v, c32); c33 = Fma(x, b3, c33);
            }
            if (TRows.Count > 4)
            {
                x = Vector512.Create(a[o4]);
                c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41); c42 = Fma(x, b2v, c42); c43 = Fma(x, b3, c43);
            }
            if (TRows.Count > 5)
            {
                x = Vector512.Create(a[o5]);
                c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51); c52 = Fma(x, b2v, c52); c53 = Fma(x, b3, c53);
            }
            a += columnStride;
            b += bStride;
            b2 += bStride;
        }

        Store(c, c00, c01, w, overwrite);
        Store(c + 2 * w, c02, c03, w, overwrite);
        if (rows > 1) { Store(c + 1 * ldc, c10, c11, w, overwrite); Store(c + 1 * ldc + 2 * w, c12, c13, w, overwrite); }
        if (TRows.Count > 2 && rows > 2) { Store(c + 2 * ldc, c20, c21, w, overwrite); Store(c + 2 * ldc + 2 * w, c22, c23, w, overwrite); }
        if (TRows.Count > 3 && rows > 3) { Store(c + 3 * ldc, c30, c31, w, overwrite); Store(c + 3 * ldc + 2 * w, c32, c33, w, overwrite); }
        if (TRows.Count > 4 && rows > 4) { Store(c + 4 * ldc, c40, c41, w, overwrite); Store(c + 4 * ldc + 2 * w, c42, c43, w, overwrite); }
        if (TRows.Count > 5 && rows > 5) { Store(c + 5 * ldc, c50, c51, w, overwrite); Store(c + 5 * ldc + 2 * w, c52, c53, w, overwrite); }
    }
}
