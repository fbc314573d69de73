using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// The row-dot product against a B packed ahead of time (a frozen network's dense weights, which never change): for each
/// group of eight rows of B (eight columns of C) and each 256-bit step along k, the eight rows' blocks lie side by side,
/// two to a 512-bit vector. A tile then multiplies one row of A, its 256-bit block broadcast into both halves, by a
/// whole vector of B: each lane runs exactly the multiply-add chain of the unpacked tiles, and each element is reduced
/// as they reduce it, so C is the same bits with or without the packing. What the packing saves is the inserting
/// load with which the unpacked wide tiles join two rows of A (it competes with the multiply-adds for the vector pipes);
/// the packed B is read in order, 64-byte aligned.
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>Columns of C per packed group: four 512-bit vectors of B per step.</summary>
    public const int PackedGroupColumns = 8;

    /// <summary>Whether this CPU's widest kernels can use a packed B (512-bit vectors and the wide tiles).</summary>
    public static bool PackingSupported => KernelWidth.MultiplyAdd == 512 && TileRows == 4;

    /// <summary>
    /// B (<paramref name="n"/> rows of <paramref name="k"/>, row-major) packed for <see cref="RunPackedBand{T, TMultiplyAdd}"/>:
    /// whole groups of eight rows over whole 256-bit steps of k. The columns past the last whole group and the tail of k are
    /// not packed; the kernels read them from B itself.
    /// </summary>
    public static ArraySegment<T> Pack<T>(ReadOnlySpan<T> b, int n, int k) where T : unmanaged
    {
        int w = Vector256<T>.Count, steps = k / w, groups = n / PackedGroupColumns;
        var packed = AlignedArrays.Allocate<T>(PackedLength<T>(n, k));
        var target = packed.AsSpan();
        int at = 0;
        for (int g = 0; g < groups; g++)
            for (int s = 0; s < steps; s++)
                for (int column = 0; column < PackedGroupColumns; column++)
                {
                    b.Slice((g * PackedGroupColumns + column) * k + s * w, w).CopyTo(target.Slice(at, w));
                    at += w;
                }
        return packed;
    }

    /// <summary>
    /// Compiles the packed tiles for <typeparamref name="T"/> on the calling thread, once per process, by running them on a
    /// few zeros: a frozen network does this when it is made, so that its first prediction finds them compiled.
    /// </summary>
    public static void PreparePacked<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!PackingSupported || Interlocked.Exchange(ref PackedPrepared<T>.Done, 1) != 0) return;
        // Thirteen rows, which a product this narrow cuts into chunks of eight and five: six- and two-row tiles, then four- and
        // one-row tiles, each with a tail of k after one step.
        int m = 13, n = PackedGroupColumns, k = Vector256<T>.Count + 1;
        var b = new T[n * k];
        MatrixMultiply.Compute<T>(new T[m * k], false, b, true, new T[m * n], m, n, k, false, maxThreads: 1, bias: new T[n], packedB: Pack<T>(b, n, k));
    }

    private static class PackedPrepared<T>
    {
        public static int Done;
    }

    /// <summary>Length of B packed by <see cref="Pack{T}"/> (at least one element, so that a packing is never empty).</summary>
    public static int PackedLength<T>(int n, int k) where T : unmanaged => Math.Max(1, n / PackedGroupColumns * GroupLength<T>(k));

    /// <summary>Elements of one packed group: its eight rows' whole 256-bit steps of k.</summary>
    private static int GroupLength<T>(int k) where T : unmanaged => k / Vector256<T>.Count * Vector256<T>.Count * PackedGroupColumns;

    /// <summary>
    /// Rows <paramref name="i0"/> to <paramref name="i1"/> of the columns <paramref name="j0"/> (a multiple of eight) to
    /// <paramref name="jEnd"/> (whole groups) from the packed B, over the whole of k; row i of A read at <paramref name="rowsOfA"/> + i·k.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static void RunPackedBand<T, TMultiplyAdd>(in GemmProblem<T> p, T* rowsOfA, T* addend, nint addendStride, int i0, int i1, int j0, int jEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd =>
        RunPackedGroups<T, TMultiplyAdd>(p, p.PackedB + j0 / PackedGroupColumns * GroupLength<T>(p.K), rowsOfA, addend, addendStride, i0, i1, j0, jEnd);

    /// <summary>
    /// <see cref="RunPackedBand{T, TMultiplyAdd}"/> with the groups of columns <paramref name="j0"/> to <paramref name="jEnd"/>
    /// packed at <paramref name="firstGroup"/> on.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static void RunPackedGroups<T, TMultiplyAdd>(in GemmProblem<T> p, T* firstGroup, T* rowsOfA, T* addend, nint addendStride, int i0, int i1, int j0, int jEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        nint k = p.K, n = p.N;
        int length = p.K;
        nint groupLength = GroupLength<T>(p.K);
        for (int j = j0; j < jEnd; j += PackedGroupColumns)
        {
            T* group = firstGroup + (j - j0) / PackedGroupColumns * groupLength;
            int i = i0;
            for (; i + 6 <= i1; i += 6)
                Tile6x8Packed<T, TMultiplyAdd>(rowsOfA + i * k, group, p.B + j * k, k, length, p.C + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
            if (i + 4 <= i1)
            {
                Tile4x8Packed<T, TMultiplyAdd>(rowsOfA + i * k, group, p.B + j * k, k, length, p.C + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
                i += 4;
            }
            if (i + 2 <= i1)
            {
                Tile2x8Packed<T, TMultiplyAdd>(rowsOfA + i * k, group, p.B + j * k, k, length, p.C + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
                i += 2;
            }
            for (; i < i1; i++)
                Tile1x8Packed<T, TMultiplyAdd>(rowsOfA + i * k, group, p.B + j * k, k, length, p.C + i * n + j, Offset(addend, i * addendStride + j));
        }
    }

    /// <summary>
    /// Six rows by eight columns from a packed group: per step six broadcast loads of A and four aligned loads of B feed
    /// twenty-four multiply-adds, nothing else on the vector pipes. Accumulator (r, q) holds row r's columns 2q and 2q + 1
    /// in its halves; 24 accumulators, four B vectors and an A block in the 32 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x8Packed<T, TMultiplyAdd>(T* a, T* packed, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default;
        Vector512<T> s40 = default, s41 = default, s42 = default, s43 = default;
        Vector512<T> s50 = default, s51 = default, s52 = default, s53 = default;
        nint row = k * sizeof(T), row3 = 3 * row;
        byte* pa = (byte*)a, pa4 = (byte*)(a + 4 * k), pb = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pa4 += 32, pb += 256)
        {
            var y0 = Vector512.Load((T*)pb);
            var y1 = Vector512.Load((T*)(pb + 64));
            var y2 = Vector512.Load((T*)(pb + 128));
            var y3 = Vector512.Load((T*)(pb + 192));
            var x = Twice<T>(pa);
            s00 = TMultiplyAdd.Of(x, y0, s00); s01 = TMultiplyAdd.Of(x, y1, s01); s02 = TMultiplyAdd.Of(x, y2, s02); s03 = TMultiplyAdd.Of(x, y3, s03);
            x = Twice<T>(pa + row);
            s10 = TMultiplyAdd.Of(x, y0, s10); s11 = TMultiplyAdd.Of(x, y1, s11); s12 = TMultiplyAdd.Of(x, y2, s12); s13 = TMultiplyAdd.Of(x, y3, s13);
            x = Twice<T>(pa + 2 * row);
            s20 = TMultiplyAdd.Of(x, y0, s20); s21 = TMultiplyAdd.Of(x, y1, s21); s22 = TMultiplyAdd.Of(x, y2, s22); s23 = TMultiplyAdd.Of(x, y3, s23);
            x = Twice<T>(pa + row3);
            s30 = TMultiplyAdd.Of(x, y0, s30); s31 = TMultiplyAdd.Of(x, y1, s31); s32 = TMultiplyAdd.Of(x, y2, s32); s33 = TMultiplyAdd.Of(x, y3, s33);
            x = Twice<T>(pa4);
            s40 = TMultiplyAdd.Of(x, y0, s40); s41 = TMultiplyAdd.Of(x, y1, s41); s42 = TMultiplyAdd.Of(x, y2, s42); s43 = TMultiplyAdd.Of(x, y3, s43);
            x = Twice<T>(pa4 + row);
            s50 = TMultiplyAdd.Of(x, y0, s50); s51 = TMultiplyAdd.Of(x, y1, s51); s52 = TMultiplyAdd.Of(x, y2, s52); s53 = TMultiplyAdd.Of(x, y3, s53);
        }
        // As in the unpacked wide tiles: every sum reduced and stored before anything is called.
        bool tail = p < length;
        T* sums = stackalloc T[6 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StoreColumnPairRows(s00, s01, s02, s03, s10, s11, s12, s13, target, stride, addend, addendStride);
        StoreColumnPairRows(s20, s21, s22, s23, s30, s31, s32, s33, target + 2 * stride, stride, Offset(addend, 2 * addendStride), addendStride);
        StoreColumnPairRows(s40, s41, s42, s43, s50, s51, s52, s53, target + 4 * stride, stride, Offset(addend, 4 * addendStride), addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 6, 8, c, ldc, add, addStride);
    }

    /// <summary>
    /// Four rows by eight columns from a packed group (four or five rows left below a multiple of six): sixteen chains, enough
    /// to keep both multiply-add pipes busy, where one-row tiles ran at half their speed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x8Packed<T, TMultiplyAdd>(T* a, T* packed, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default;
        nint row = k * sizeof(T), row3 = 3 * row;
        byte* pa = (byte*)a, pb = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pb += 256)
        {
            var y0 = Vector512.Load((T*)pb);
            var y1 = Vector512.Load((T*)(pb + 64));
            var y2 = Vector512.Load((T*)(pb + 128));
            var y3 = Vector512.Load((T*)(pb + 192));
            var x = Twice<T>(pa);
            s00 = TMultiplyAdd.Of(x, y0, s00); s01 = TMultiplyAdd.Of(x, y1, s01); s02 = TMultiplyAdd.Of(x, y2, s02); s03 = TMultiplyAdd.Of(x, y3, s03);
            x = Twice<T>(pa + row);
            s10 = TMultiplyAdd.Of(x, y0, s10); s11 = TMultiplyAdd.Of(x, y1, s11); s12 = TMultiplyAdd.Of(x, y2, s12); s13 = TMultiplyAdd.Of(x, y3, s13);
            x = Twice<T>(pa + 2 * row);
            s20 = TMultiplyAdd.Of(x, y0, s20); s21 = TMultiplyAdd.Of(x, y1, s21); s22 = TMultiplyAdd.Of(x, y2, s22); s23 = TMultiplyAdd.Of(x, y3, s23);
            x = Twice<T>(pa + row3);
            s30 = TMultiplyAdd.Of(x, y0, s30); s31 = TMultiplyAdd.Of(x, y1, s31); s32 = TMultiplyAdd.Of(x, y2, s32); s33 = TMultiplyAdd.Of(x, y3, s33);
        }
        bool tail = p < length;
        T* sums = stackalloc T[4 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StoreColumnPairRows(s00, s01, s02, s03, s10, s11, s12, s13, target, stride, addend, addendStride);
        StoreColumnPairRows(s20, s21, s22, s23, s30, s31, s32, s33, target + 2 * stride, stride, Offset(addend, 2 * addendStride), addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 4, 8, c, ldc, add, addStride);
    }

    /// <summary>Two rows by eight columns from a packed group (two or three rows left below a multiple of six): eight chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x8Packed<T, TMultiplyAdd>(T* a, T* packed, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
        nint row = k * sizeof(T);
        byte* pa = (byte*)a, pb = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pb += 256)
        {
            var y0 = Vector512.Load((T*)pb);
            var y1 = Vector512.Load((T*)(pb + 64));
            var y2 = Vector512.Load((T*)(pb + 128));
            var y3 = Vector512.Load((T*)(pb + 192));
            var x = Twice<T>(pa);
            s00 = TMultiplyAdd.Of(x, y0, s00); s01 = TMultiplyAdd.Of(x, y1, s01); s02 = TMultiplyAdd.Of(x, y2, s02); s03 = TMultiplyAdd.Of(x, y3, s03);
            x = Twice<T>(pa + row);
            s10 = TMultiplyAdd.Of(x, y0, s10); s11 = TMultiplyAdd.Of(x, y1, s11); s12 = TMultiplyAdd.Of(x, y2, s12); s13 = TMultiplyAdd.Of(x, y3, s13);
        }
        bool tail = p < length;
        T* sums = stackalloc T[2 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StoreColumnPairRows(s00, s01, s02, s03, s10, s11, s12, s13, target, stride, addend, addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 2, 8, c, ldc, add, addStride);
    }

    /// <summary>One row by eight columns from a packed group (the row left below a multiple of six and the smaller tiles, and a single sample).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x8Packed<T, TMultiplyAdd>(T* a, T* packed, T* b, nint k, int length, T* c, T* add)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default;
        byte* pa = (byte*)a, pb = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pb += 256)
        {
            var x = Twice<T>(pa);
            s0 = TMultiplyAdd.Of(x, Vector512.Load((T*)pb), s0);
            s1 = TMultiplyAdd.Of(x, Vector512.Load((T*)(pb + 64)), s1);
            s2 = TMultiplyAdd.Of(x, Vector512.Load((T*)(pb + 128)), s2);
            s3 = TMultiplyAdd.Of(x, Vector512.Load((T*)(pb + 192)), s3);
        }
        bool tail = p < length;
        T* sums = stackalloc T[8];
        StoreColumnPairs(s0, s1, s2, s3, tail ? sums : c, tail ? null : add);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 1, 8, c, 8, add, 0);
    }
}
