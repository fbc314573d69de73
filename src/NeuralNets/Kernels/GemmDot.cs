using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The product <c>A·Bᵀ</c> with A (m×k) and B (n×k) both row-major, a dense layer's forward pass,
/// as dot products of rows: both operands are read in place along k (nothing to transpose or pack).
/// Each element is one chain of vector multiply-adds (of the numeric family, <see cref="IMultiplyAdd"/>) over its
/// k-range, then a fixed horizontal sum, then a scalar multiply-add tail, whatever tile it falls in; so a row of C does not depend on how many other
/// rows the product has (a sample predicted alone equals its row of the batch), nor on threads.
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>Rows of A per tile: four where 32 vector registers hold the 16 accumulators, else two.</summary>
    private static int TileRows => Vector512.IsHardwareAccelerated ? 4 : 2;

    /// <summary>Computes one chunk of the problem (a block of C, over one piece of k).</summary>
    [MethodImpl(HotPath.Options)]
    public static void RunChunk<T>(in GemmProblem<T> p, int unit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.Unfused) RunChunk<T, Unfused>(p, unit);
        else RunChunk<T, Fused>(p, unit);
    }

    [MethodImpl(HotPath.Options)]
    private static void RunChunk<T, TMultiplyAdd>(in GemmProblem<T> p, int unit)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int chunk = unit % (p.ChunksM * p.ChunksN), piece = unit / (p.ChunksM * p.ChunksN);
        int i0 = chunk % p.ChunksM * p.ChunkRows, i1 = Math.Min(p.M, i0 + p.ChunkRows);
        int j0 = chunk / p.ChunksM * p.ChunkColumns, j1 = Math.Min(p.N, j0 + p.ChunkColumns);
        int kStart = piece * p.KPiece, length = Math.Min(p.K, kStart + p.KPiece) - kStart;
        T* c = p.KPieces == 1 ? p.C : p.Partials + (nint)piece * p.M * p.N;
        // What each element's sum is added to: C itself when accumulating, the column's bias when one is
        // fused in (the same value at every row), or nothing.
        T* addend = p.KPieces > 1 ? null : p.Accumulate ? c : p.Bias;
        nint addendStride = p.Accumulate ? p.N : 0;
        T* a = p.A + kStart, b = p.B + kStart;
        nint k = p.K, n = p.N;
        if (p.VectorBits == KernelWidth.Scalar)
        {
            RunChunkScalar<T, TMultiplyAdd>(a, b, k, length, c, n, addend, addendStride, i0, i1, j0, j1);
            return;
        }
        if (p.VectorBits == 128)
        {
            RunChunk128<T, TMultiplyAdd>(a, b, k, length, c, n, addend, addendStride, i0, i1, j0, j1);
            return;
        }
        // A caller's A off a 32-byte boundary: a band of whole rows is read from an aligned copy (GemmDot.AlignedRows.cs).
        if (ReadsAlignedCopy(p, i0, i1)) a = AlignedRows(p.A, i0, i1, p.K);
        int tileRows = TileRows;
        int fullRows = i0 + (i1 - i0) / tileRows * tileRows;
        // The wide tiles go column band by column band: a band's eight rows of B stay in the L1 cache while every row
        // tile of A streams past them (A's four rows are the smaller stream). Order does not change any element's sum.
        int wideEnd = tileRows == 4 && p.VectorBits == 512 ? j0 + (j1 - j0) / 8 * 8 : j0;
        // A packed B covers every row of the band: its four-, two- and one-row tiles take the rows below a multiple of six.
        bool packed = p.PackedB != null && wideEnd > j0 && p.KPieces == 1;
        if (packed) RunPackedBand<T, TMultiplyAdd>(p, a, addend, addendStride, i0, i1, j0, wideEnd);
        else if (wideEnd > j0 && p.KPieces == 1 && i1 - i0 >= PackingMinimumRows && p.K >= Vector256<T>.Count)
        {
            // Enough rows to read a packing of B many times: B packed as it goes (GemmDot.PackingTile.cs).
            packed = true;
            RunPackingBand<T, TMultiplyAdd>(p, a, addend, addendStride, i0, i1, j0, wideEnd);
        }
        for (int jw = j0; !packed && jw < wideEnd; jw += 8)
        {
            // Six-row tiles in pairs, so that the rows left (a multiple of four) fill four-row tiles exactly.
            int sixRowEnd = i0 + (fullRows - i0) / 12 * 12, iw = i0;
            for (; iw < sixRowEnd; iw += 6)
                Tile6x8Wide<T, TMultiplyAdd, Off>(a + iw * k, b + jw * k, null, k, length, c + iw * n + jw, n, Offset(addend, iw * addendStride + jw), addendStride);
            for (; iw < fullRows; iw += 4)
                Tile4x8Wide<T, TMultiplyAdd>(a + iw * k, b + jw * k, k, length, c + iw * n + jw, n, Offset(addend, iw * addendStride + jw), addendStride);
        }

        if (tileRows == 2) RunTwoRowTiles<T, TMultiplyAdd>(a, b, k, length, c, n, addend, addendStride, i0, fullRows, j0, j1);
        // Four-row tiles (32 registers) after the wide ones.
        int i = tileRows == 2 ? fullRows : i0;
        for (; i < fullRows; i += 4)
        {
            int j = wideEnd;
            for (; j + 4 <= j1; j += 4)
                Tile4x4<T, TMultiplyAdd>(a + i * k, b + j * k, k, length, c + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
            // Two columns left (a ten-output layer after its eight-column groups): eight chains instead of two tiles of four.
            for (; j + 2 <= j1; j += 2)
                Tile4x2<T, TMultiplyAdd>(a + i * k, b + j * k, k, length, c + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
            for (; j < j1; j++)
                Tile4x1<T, TMultiplyAdd>(a + i * k, b + j * k, k, length, c + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
        }
        for (; i < i1; i++)
        {
            int j = packed ? wideEnd : j0;
            for (; j + 4 <= j1; j += 4) Tile1x4<T, TMultiplyAdd>(a + i * k, b + j * k, k, length, c + i * n + j, Offset(addend, i * addendStride + j));
            for (; j < j1; j++) Single<T, TMultiplyAdd>(a + i * k, b + j * k, length, c + i * n + j, Offset(addend, i * addendStride + j));
        }
    }

    /// <summary>
    /// The two-row tiles of a sixteen-register CPU (AVX2) over rows <paramref name="i0"/> to <paramref name="i1"/> (a multiple of
    /// two apart), column group by column group: six columns at a time (twelve chains, where four columns' eight only just
    /// cover the multiply-add latency), then four, then one. A group's rows of B (six of a 784-input layer: 19 KB) stay in the
    /// L1 cache while every pair of A's rows streams past them; row pair by row pair, a chunk's sixteen rows of B (50 KB) went
    /// through a 32 KB L1 for every pair, at more bytes per cycle than the L2 cache delivers. Order changes no element's sum.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static void RunTwoRowTiles<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint n, T* addend, nint addendStride, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        // Rows a page apart (a 1024-input layer's) put a group's six rows of B and the pair of A's on the same L1 sets at every
        // step: there the group is copied, rows a line further apart, for the pairs to read (the same values, so the same sums).
        bool copies = i1 - i0 >= MinimumRowsForGroupCopy && CacheSets.Crowded((long)k * sizeof(T), 8, Vector256<T>.Count * sizeof(T), CacheSets.Ways / 2);
        nint bStride = copies ? GroupCopyStride<T>(length) : k;
        T* group = copies ? GroupBuffer<T>((int)(6 * bStride)) : null;
        int j = j0;
        for (; j + 6 <= j1; j += 6)
        {
            T* bGroup = copies ? CopyGroup(b + j * k, k, 6, length, group, bStride) : b + j * k;
            for (int i = i0; i < i1; i += 2)
                Tile2x6<T, TMultiplyAdd>(a + i * k, bGroup, k, bStride, length, c + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
        }
        for (; j + 4 <= j1; j += 4)
        {
            T* bGroup = copies ? CopyGroup(b + j * k, k, 4, length, group, bStride) : b + j * k;
            for (int i = i0; i < i1; i += 2)
                Tile2x4<T, TMultiplyAdd>(a + i * k, bGroup, k, bStride, length, c + i * n + j, n, Offset(addend, i * addendStride + j), addendStride);
        }
        for (; j < j1; j++)
            for (int i = i0; i < i1; i++)
                Single<T, TMultiplyAdd>(a + i * k, b + j * k, length, c + i * n + j, Offset(addend, i * addendStride + j));
    }

    /// <summary>
    /// Rows of A from which a group of B's rows that crowd the cache's sets is copied: the copy costs about as much as a
    /// dozen rows' tiles lose to the crowding (a quarter of their time), so from 32 rows, as the packed product packs such a B.
    /// </summary>
    private const int MinimumRowsForGroupCopy = 32;

    // A copied row: its length in whole cache lines, an odd number of them, so that consecutive rows start on different sets.
    private static nint GroupCopyStride<T>(int length) where T : unmanaged =>
        (((nint)length * sizeof(T) + CacheSets.LineBytes - 1) / CacheSets.LineBytes | 1) * CacheSets.LineBytes / sizeof(T);

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="length"/> elements, <paramref name="stride"/> apart, to <paramref name="target"/>, <paramref name="targetStride"/> apart.</summary>
    private static T* CopyGroup<T>(T* source, nint stride, int rows, int length, T* target, nint targetStride) where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<T>(source + r * stride, length).CopyTo(new Span<T>(target + r * targetStride, length));
        return target;
    }

    // Every variant below does, per element: v = Σ over whole vectors (one multiply-add chain), s = the fixed horizontal sum of v,
    // then s = fma(a, b, s) over the tail, then C = s, or C = addend + s where the addend is C itself (accumulating) or the column's bias. Keep them identical.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a1 = a + k, a2 = a1 + k, a3 = a2 + k, b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<T> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<T> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector256<T> s30 = default, s31 = default, s32 = default, s33 = default;
        for (; p + w <= length; p += w)
        {
            var y0 = Vector256.Load(b + p);
            var y1 = Vector256.Load(b1 + p);
            var y2 = Vector256.Load(b2 + p);
            var y3 = Vector256.Load(b3 + p);
            var x = Vector256.Load(a + p);
            s00 = TMultiplyAdd.Of(x, y0, s00); s01 = TMultiplyAdd.Of(x, y1, s01); s02 = TMultiplyAdd.Of(x, y2, s02); s03 = TMultiplyAdd.Of(x, y3, s03);
            x = Vector256.Load(a1 + p);
            s10 = TMultiplyAdd.Of(x, y0, s10); s11 = TMultiplyAdd.Of(x, y1, s11); s12 = TMultiplyAdd.Of(x, y2, s12); s13 = TMultiplyAdd.Of(x, y3, s13);
            x = Vector256.Load(a2 + p);
            s20 = TMultiplyAdd.Of(x, y0, s20); s21 = TMultiplyAdd.Of(x, y1, s21); s22 = TMultiplyAdd.Of(x, y2, s22); s23 = TMultiplyAdd.Of(x, y3, s23);
            x = Vector256.Load(a3 + p);
            s30 = TMultiplyAdd.Of(x, y0, s30); s31 = TMultiplyAdd.Of(x, y1, s31); s32 = TMultiplyAdd.Of(x, y2, s32); s33 = TMultiplyAdd.Of(x, y3, s33);
        }
        // As in the wide tiles: every sum reduced and stored (final into C, or into scratch where k has a tail), then one
        // shared call finishes the tails, so the tile compiles one tail loop instead of sixteen.
        bool tail = p < length;
        T* sums = stackalloc T[4 * 4];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 4 : ldc, addendStride = tail ? 0 : addStride;
        Store4(s00, s01, s02, s03, target, addend);
        Store4(s10, s11, s12, s13, target + stride, Offset(addend, addendStride));
        Store4(s20, s21, s22, s23, target + 2 * stride, Offset(addend, 2 * addendStride));
        Store4(s30, s31, s32, s33, target + 3 * stride, Offset(addend, 3 * addendStride));
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 4, 4, c, ldc, add, addStride);
    }

    /// <summary>
    /// Four rows by eight columns on 512-bit vectors, with exactly the arithmetic of two <see cref="Tile4x4{T, TMultiplyAdd}"/>
    /// tiles side by side: each 512-bit accumulator holds two of their 256-bit accumulators (rows i and i + 1 of one column
    /// in its halves), the two A rows' 256-bit blocks are joined once per step and each B row's block is repeated in both
    /// halves by a broadcasting load, so every lane runs the same multiply-add chain as on 256-bit vectors and the same
    /// 256-bit reductions finish each element. Joining the A rows rather than the B rows takes two inserts per sixteen FMAs
    /// instead of four (an insert competes with the FMAs for the vector pipes); sixteen accumulators fit the 32 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x8Wide<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector512<T> s010 = default, s011 = default, s012 = default, s013 = default, s014 = default, s015 = default, s016 = default, s017 = default;
        Vector512<T> s230 = default, s231 = default, s232 = default, s233 = default, s234 = default, s235 = default, s236 = default, s237 = default;
        // Addressed as in the six-row tile: moving pointers and the row stride in bytes, every address in a register.
        nint row = k * sizeof(T), row3 = 3 * row;
        byte* pa = (byte*)a, pb = (byte*)b, pb4 = (byte*)(b + 4 * k);
        for (; p + w <= length; p += w, pa += 32, pb += 32, pb4 += 32)
        {
            var x01 = Pair<T>(pa, pa + row);
            var x23 = Pair<T>(pa + 2 * row, pa + row3);
            var y = Twice<T>(pb);
            s010 = TMultiplyAdd.Of(x01, y, s010); s230 = TMultiplyAdd.Of(x23, y, s230);
            y = Twice<T>(pb + row);
            s011 = TMultiplyAdd.Of(x01, y, s011); s231 = TMultiplyAdd.Of(x23, y, s231);
            y = Twice<T>(pb + 2 * row);
            s012 = TMultiplyAdd.Of(x01, y, s012); s232 = TMultiplyAdd.Of(x23, y, s232);
            y = Twice<T>(pb + row3);
            s013 = TMultiplyAdd.Of(x01, y, s013); s233 = TMultiplyAdd.Of(x23, y, s233);
            y = Twice<T>(pb4);
            s014 = TMultiplyAdd.Of(x01, y, s014); s234 = TMultiplyAdd.Of(x23, y, s234);
            y = Twice<T>(pb4 + row);
            s015 = TMultiplyAdd.Of(x01, y, s015); s235 = TMultiplyAdd.Of(x23, y, s235);
            y = Twice<T>(pb4 + 2 * row);
            s016 = TMultiplyAdd.Of(x01, y, s016); s236 = TMultiplyAdd.Of(x23, y, s236);
            y = Twice<T>(pb4 + row3);
            s017 = TMultiplyAdd.Of(x01, y, s017); s237 = TMultiplyAdd.Of(x23, y, s237);
        }
        // Every sum is reduced and stored before anything is called (see StorePairRows): final into C, or, where k has a
        // tail, into scratch for CompleteTails.
        bool tail = p < length;
        T* sums = stackalloc T[4 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StorePairRows(s010, s011, s012, s013, s014, s015, s016, s017, target, stride, addend, addendStride);
        StorePairRows(s230, s231, s232, s233, s234, s235, s236, s237, target + 2 * stride, stride, Offset(addend, 2 * addendStride), addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 4, 8, c, ldc, add, addStride);
    }

    /// <summary>
    /// Six rows by eight columns: <see cref="Tile4x8Wide{T, TMultiplyAdd}"/> with a third pair of A rows, so each broadcast B
    /// block feeds three FMAs (fourteen loads per twenty-four FMAs instead of twelve per sixteen); 24 accumulators, three
    /// A pairs and a B block in the 32 registers. The same lanes, chains and reductions. With <typeparamref name="TPacking"/>
    /// on, it also stores each B block it loads at its place in <paramref name="packed"/>, in the order of <see cref="Pack{T}"/>
    /// (GemmDot.PackingTile.cs); off, <paramref name="packed"/> is not read and the stores are not compiled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x8Wide<T, TMultiplyAdd, TPacking>(T* a, T* b, T* packed, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
        where TPacking : struct, IStepOption
    {
        int w = Vector256<T>.Count, p = 0;
        T* a4 = a + 4 * k;
        Vector512<T> s010 = default, s011 = default, s012 = default, s013 = default, s014 = default, s015 = default, s016 = default, s017 = default;
        Vector512<T> s230 = default, s231 = default, s232 = default, s233 = default, s234 = default, s235 = default, s236 = default, s237 = default;
        Vector512<T> s450 = default, s451 = default, s452 = default, s453 = default, s454 = default, s455 = default, s456 = default, s457 = default;
        // Rows addressed from two moving pointers per operand and the row stride in bytes (base + stride·{1, 2, 4} and
        // base + 3·stride fold into the loads), so the loop holds every address in registers: fourteen row pointers spilled.
        // (Both wide tiles address this way; Twice and Pair take the byte addresses.)
        nint row = k * sizeof(T), row3 = 3 * row;
        byte* pa = (byte*)a, pa4 = (byte*)a4, pb = (byte*)b, pb4 = (byte*)(b + 4 * k), pk = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pa4 += 32, pb += 32, pb4 += 32, pk += TPacking.IsOn ? 256 : 0)
        {
            var x01 = Pair<T>(pa, pa + row);
            var x23 = Pair<T>(pa + 2 * row, pa + row3);
            var x45 = Pair<T>(pa4, pa4 + row);
            var y = Twice<T>(pb);
            if (TPacking.IsOn) y.GetLower().Store((T*)pk);
            s010 = TMultiplyAdd.Of(x01, y, s010); s230 = TMultiplyAdd.Of(x23, y, s230); s450 = TMultiplyAdd.Of(x45, y, s450);
            y = Twice<T>(pb + row);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 32));
            s011 = TMultiplyAdd.Of(x01, y, s011); s231 = TMultiplyAdd.Of(x23, y, s231); s451 = TMultiplyAdd.Of(x45, y, s451);
            y = Twice<T>(pb + 2 * row);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 64));
            s012 = TMultiplyAdd.Of(x01, y, s012); s232 = TMultiplyAdd.Of(x23, y, s232); s452 = TMultiplyAdd.Of(x45, y, s452);
            y = Twice<T>(pb + row3);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 96));
            s013 = TMultiplyAdd.Of(x01, y, s013); s233 = TMultiplyAdd.Of(x23, y, s233); s453 = TMultiplyAdd.Of(x45, y, s453);
            y = Twice<T>(pb4);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 128));
            s014 = TMultiplyAdd.Of(x01, y, s014); s234 = TMultiplyAdd.Of(x23, y, s234); s454 = TMultiplyAdd.Of(x45, y, s454);
            y = Twice<T>(pb4 + row);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 160));
            s015 = TMultiplyAdd.Of(x01, y, s015); s235 = TMultiplyAdd.Of(x23, y, s235); s455 = TMultiplyAdd.Of(x45, y, s455);
            y = Twice<T>(pb4 + 2 * row);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 192));
            s016 = TMultiplyAdd.Of(x01, y, s016); s236 = TMultiplyAdd.Of(x23, y, s236); s456 = TMultiplyAdd.Of(x45, y, s456);
            y = Twice<T>(pb4 + row3);
            if (TPacking.IsOn) y.GetLower().Store((T*)(pk + 224));
            s017 = TMultiplyAdd.Of(x01, y, s017); s237 = TMultiplyAdd.Of(x23, y, s237); s457 = TMultiplyAdd.Of(x45, y, s457);
        }
        bool tail = p < length;
        T* sums = stackalloc T[6 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StorePairRows(s010, s011, s012, s013, s014, s015, s016, s017, target, stride, addend, addendStride);
        StorePairRows(s230, s231, s232, s233, s234, s235, s236, s237, target + 2 * stride, stride, Offset(addend, 2 * addendStride), addendStride);
        StorePairRows(s450, s451, s452, s453, s454, s455, s456, s457, target + 4 * stride, stride, Offset(addend, 4 * addendStride), addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 6, 8, c, ldc, add, addStride);
    }

    /// <summary>Four accumulators' sums without a tail (one row, four columns): reduced, plus their addends where given, stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<T>(Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, T* target, T* add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var r = Reduce4(s0.AsSingle(), s1.AsSingle(), s2.AsSingle(), s3.AsSingle());
            if (add != null) r += Vector128.Load((float*)add);
            r.Store((float*)target);
            return;
        }
        var (r01, r23) = Reduce4(s0.AsDouble(), s1.AsDouble(), s2.AsDouble(), s3.AsDouble());
        if (add != null)
        {
            r01 += Vector128.Load((double*)add);
            r23 += Vector128.Load((double*)add + 2);
        }
        r01.Store((double*)target);
        r23.Store((double*)target + 2);
    }

    /// <summary>
    /// Finishes a tile whose k has a tail: each element's reduced sum (in <paramref name="sums"/>, <paramref name="columns"/> per
    /// row) continues with the scalar multiply-add chain over the tail, then gets its addend, as <see cref="FinishSum{T, TMultiplyAdd}"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void CompleteTails<T, TMultiplyAdd>(T* a, T* b, nint k, int p, int length, T* sums, int rows, int columns,
        T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++)
                FinishSum<T, TMultiplyAdd>(a + r * k, b + j * k, p, length, sums[r * columns + j], c + r * ldc + j, Offset(add, r * addStride + j));
    }

    // The 256-bit block at `block` in both halves of a 512-bit vector: one broadcasting load (vbroadcastf64x4; the bits are
    // moved, not interpreted, so the double form serves float too), where Vector512.Create(v, v) took two shuffles.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Twice<T>(byte* block) where T : unmanaged => Avx512F.BroadcastVector256ToVector512((double*)block).As<double, T>();

    // The 256-bit blocks at `low` and `high` side by side: a load and one inserting load (Vector512.Create took two inserts).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Pair<T>(byte* low, byte* high) where T : unmanaged =>
        Avx512F.InsertVector256(Vector256.Load((double*)low).ToVector512Unsafe(), Vector256.Load((double*)high), 1).As<double, T>();

    /// <summary>
    /// Two rows by six columns: twelve accumulators, two rows of A and a block of B in fifteen of a 256-bit-only CPU's sixteen
    /// registers. The same chains and reductions as <see cref="Tile2x4{T, TMultiplyAdd}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x6<T, TMultiplyAdd>(T* a, T* b, nint k, nint bStride, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a1 = a + k, b1 = b + bStride, b2 = b1 + bStride, b3 = b2 + bStride, b4 = b3 + bStride, b5 = b4 + bStride;
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default, s05 = default;
        Vector256<T> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        for (; p + w <= length; p += w)
        {
            var x0 = Vector256.Load(a + p);
            var x1 = Vector256.Load(a1 + p);
            var y = Vector256.Load(b + p);
            s00 = TMultiplyAdd.Of(x0, y, s00); s10 = TMultiplyAdd.Of(x1, y, s10);
            y = Vector256.Load(b1 + p);
            s01 = TMultiplyAdd.Of(x0, y, s01); s11 = TMultiplyAdd.Of(x1, y, s11);
            y = Vector256.Load(b2 + p);
            s02 = TMultiplyAdd.Of(x0, y, s02); s12 = TMultiplyAdd.Of(x1, y, s12);
            y = Vector256.Load(b3 + p);
            s03 = TMultiplyAdd.Of(x0, y, s03); s13 = TMultiplyAdd.Of(x1, y, s13);
            y = Vector256.Load(b4 + p);
            s04 = TMultiplyAdd.Of(x0, y, s04); s14 = TMultiplyAdd.Of(x1, y, s14);
            y = Vector256.Load(b5 + p);
            s05 = TMultiplyAdd.Of(x0, y, s05); s15 = TMultiplyAdd.Of(x1, y, s15);
        }
        if (p < length)
        {
            // A tail of k: finished in registers (GemmDot.Tails.cs).
            Store4WithTail<T, TMultiplyAdd>(s00, s01, s02, s03, a, b, bStride, p, length, c, add);
            Store4WithTail<T, TMultiplyAdd>(s10, s11, s12, s13, a1, b, bStride, p, length, c + ldc, Offset(add, addStride));
            Store2x2WithTail<T, TMultiplyAdd>(s04, s05, s14, s15, a, k, b4, bStride, p, length, c + 4, ldc, Offset(add, 4), addStride);
            return;
        }
        Store4(s00, s01, s02, s03, c, add);
        StoreOne(s04, c + 4, Offset(add, 4));
        StoreOne(s05, c + 5, Offset(add, 5));
        Store4(s10, s11, s12, s13, c + ldc, Offset(add, addStride));
        StoreOne(s14, c + ldc + 4, Offset(add, addStride + 4));
        StoreOne(s15, c + ldc + 5, Offset(add, addStride + 5));
    }

    /// <summary>
    /// Two rows by four columns on 256-bit vectors, for CPUs with sixteen vector registers (AVX2): eight accumulators,
    /// each B block loaded once for both rows. Every element is the chain <see cref="Tile1x4{T, TMultiplyAdd}"/> computes;
    /// two of those one after another loaded every B block twice (five loads per four FMAs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x4<T, TMultiplyAdd>(T* a, T* b, nint k, nint bStride, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a1 = a + k, b1 = b + bStride, b2 = b1 + bStride, b3 = b2 + bStride;
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<T> s10 = default, s11 = default, s12 = default, s13 = default;
        for (; p + w <= length; p += w)
        {
            var x0 = Vector256.Load(a + p);
            var x1 = Vector256.Load(a1 + p);
            var y = Vector256.Load(b + p);
            s00 = TMultiplyAdd.Of(x0, y, s00); s10 = TMultiplyAdd.Of(x1, y, s10);
            y = Vector256.Load(b1 + p);
            s01 = TMultiplyAdd.Of(x0, y, s01); s11 = TMultiplyAdd.Of(x1, y, s11);
            y = Vector256.Load(b2 + p);
            s02 = TMultiplyAdd.Of(x0, y, s02); s12 = TMultiplyAdd.Of(x1, y, s12);
            y = Vector256.Load(b3 + p);
            s03 = TMultiplyAdd.Of(x0, y, s03); s13 = TMultiplyAdd.Of(x1, y, s13);
        }
        if (p < length)
        {
            // A tail of k: finished in registers (GemmDot.Tails.cs).
            Store4WithTail<T, TMultiplyAdd>(s00, s01, s02, s03, a, b, bStride, p, length, c, add);
            Store4WithTail<T, TMultiplyAdd>(s10, s11, s12, s13, a1, b, bStride, p, length, c + ldc, Offset(add, addStride));
            return;
        }
        Store4(s00, s01, s02, s03, c, add);
        Store4(s10, s11, s12, s13, c + ldc, Offset(add, addStride));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x4<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; p + w <= length; p += w)
        {
            var x = Vector256.Load(a + p);
            s0 = TMultiplyAdd.Of(x, Vector256.Load(b + p), s0);
            s1 = TMultiplyAdd.Of(x, Vector256.Load(b1 + p), s1);
            s2 = TMultiplyAdd.Of(x, Vector256.Load(b2 + p), s2);
            s3 = TMultiplyAdd.Of(x, Vector256.Load(b3 + p), s3);
        }
        // A tail of k is finished in registers (GemmDot.Tails.cs).
        if (p < length) Store4WithTail<T, TMultiplyAdd>(s0, s1, s2, s3, a, b, k, p, length, c, add);
        else Store4(s0, s1, s2, s3, c, add);
    }

    /// <summary>
    /// One column of four rows (the columns left over after the four-wide tiles, such as the last two of a
    /// ten-class layer): four independent multiply-add chains at once, each finished exactly as <see cref="Single{T, TMultiplyAdd}"/>
    /// finishes its one, instead of four chains one after another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a1 = a + k, a2 = a1 + k, a3 = a2 + k;
        Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; p + w <= length; p += w)
        {
            var y = Vector256.Load(b + p);
            s0 = TMultiplyAdd.Of(Vector256.Load(a + p), y, s0);
            s1 = TMultiplyAdd.Of(Vector256.Load(a1 + p), y, s1);
            s2 = TMultiplyAdd.Of(Vector256.Load(a2 + p), y, s2);
            s3 = TMultiplyAdd.Of(Vector256.Load(a3 + p), y, s3);
        }
        bool tail = p < length;
        T* sums = stackalloc T[4];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 1 : ldc, addendStride = tail ? 0 : addStride;
        StoreOne(s0, target, addend);
        StoreOne(s1, target + stride, Offset(addend, addendStride));
        StoreOne(s2, target + 2 * stride, Offset(addend, 2 * addendStride));
        StoreOne(s3, target + 3 * stride, Offset(addend, 3 * addendStride));
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 4, 1, c, ldc, add, addStride);
    }

    /// <summary>
    /// Four rows by two columns: eight accumulator chains, enough to keep both multiply-add pipes busy, where a four-row
    /// one-column tile's four chains waited out each multiply-add's latency (a ten-output layer's last two columns took a
    /// third of its forward pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a1 = a + k, a2 = a1 + k, a3 = a2 + k, b1 = b + k;
        Vector256<T> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector256<T> s20 = default, s21 = default, s30 = default, s31 = default;
        for (; p + w <= length; p += w)
        {
            var y0 = Vector256.Load(b + p);
            var y1 = Vector256.Load(b1 + p);
            var x = Vector256.Load(a + p);
            s00 = TMultiplyAdd.Of(x, y0, s00); s01 = TMultiplyAdd.Of(x, y1, s01);
            x = Vector256.Load(a1 + p);
            s10 = TMultiplyAdd.Of(x, y0, s10); s11 = TMultiplyAdd.Of(x, y1, s11);
            x = Vector256.Load(a2 + p);
            s20 = TMultiplyAdd.Of(x, y0, s20); s21 = TMultiplyAdd.Of(x, y1, s21);
            x = Vector256.Load(a3 + p);
            s30 = TMultiplyAdd.Of(x, y0, s30); s31 = TMultiplyAdd.Of(x, y1, s31);
        }
        bool tail = p < length;
        T* sums = stackalloc T[4 * 2];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 2 : ldc, addendStride = tail ? 0 : addStride;
        StoreOne(s00, target, addend);
        StoreOne(s01, target + 1, Offset(addend, 1));
        StoreOne(s10, target + stride, Offset(addend, addendStride));
        StoreOne(s11, target + stride + 1, Offset(addend, addendStride + 1));
        StoreOne(s20, target + 2 * stride, Offset(addend, 2 * addendStride));
        StoreOne(s21, target + 2 * stride + 1, Offset(addend, 2 * addendStride + 1));
        StoreOne(s30, target + 3 * stride, Offset(addend, 3 * addendStride));
        StoreOne(s31, target + 3 * stride + 1, Offset(addend, 3 * addendStride + 1));
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 4, 2, c, ldc, add, addStride);
    }

    private static void Single<T, TMultiplyAdd>(T* a, T* b, int length, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        Vector256<T> s = default;
        for (; p + w <= length; p += w) s = TMultiplyAdd.Of(Vector256.Load(a + p), Vector256.Load(b + p), s);
        Finish<T, TMultiplyAdd>(a, b, p, length, s, c, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T, TMultiplyAdd>(T* a, T* b, int p, int length, Vector256<T> partial, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd =>
        FinishSum<T, TMultiplyAdd>(a, b, p, length, Reduce1(partial), c, add);

    /// <summary>One accumulator's sum without a tail, plus its addend where given, stored: <see cref="Finish{T, TMultiplyAdd}"/> at the end of k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne<T>(Vector256<T> partial, T* target, T* add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = Reduce1(partial);
        *target = add != null ? *add + sum : sum;
    }

    /// <summary>The horizontal sum of one accumulator: fold the upper half onto the lower, then (e0 + e2) + (e1 + e3) (double: e0 + e1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reduce1<T>(Vector256<T> partial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            // The same tree as Reduce4 computes lane by lane.
            var e = partial.AsSingle().GetLower() + partial.AsSingle().GetUpper();
            return (T)(object)((e.GetElement(0) + e.GetElement(2)) + (e.GetElement(1) + e.GetElement(3)));
        }
        var d = partial.AsDouble().GetLower() + partial.AsDouble().GetUpper();
        return (T)(object)(d.GetElement(0) + d.GetElement(1));
    }

    /// <summary>
    /// The horizontal sums of four accumulators, with exactly the arithmetic <see cref="Reduce1{T}"/> does for one:
    /// fold the upper half onto the lower, then (e0 + e2) + (e1 + e3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce4(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        var a0 = s0.GetLower() + s0.GetUpper();
        var a1 = s1.GetLower() + s1.GetUpper();
        var a2 = s2.GetLower() + s2.GetUpper();
        var a3 = s3.GetLower() + s3.GetUpper();
        // p01 = (a0[0]+a0[2], a1[0]+a1[2], a0[1]+a0[3], a1[1]+a1[3]); likewise p23.
        var p01 = Sse.UnpackLow(a0, a1) + Sse.UnpackHigh(a0, a1);
        var p23 = Sse.UnpackLow(a2, a3) + Sse.UnpackHigh(a2, a3);
        // r_i = (a_i[0]+a_i[2]) + (a_i[1]+a_i[3])
        return Sse.MoveLowToHigh(p01, p23) + Sse.MoveHighToLow(p23, p01);
    }

    /// <summary>The double version: fold the upper half onto the lower, then e0 + e1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<double>, Vector128<double>) Reduce4(Vector256<double> s0, Vector256<double> s1, Vector256<double> s2, Vector256<double> s3)
    {
        var a0 = s0.GetLower() + s0.GetUpper();
        var a1 = s1.GetLower() + s1.GetUpper();
        var a2 = s2.GetLower() + s2.GetUpper();
        var a3 = s3.GetLower() + s3.GetUpper();
        return (Sse3.HorizontalAdd(a0, a1), Sse3.HorizontalAdd(a2, a3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishSum<T, TMultiplyAdd>(T* a, T* b, int p, int length, T sum, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        for (; p < length; p++) sum = TMultiplyAdd.Of(a[p], b[p], sum);
        *c = add != null ? *add + sum : sum;
    }

    // Null stays null: no addend for any element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Offset<T>(T* addend, nint offset) where T : unmanaged => addend == null ? null : addend + offset;

}
