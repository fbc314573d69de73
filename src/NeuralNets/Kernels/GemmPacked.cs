using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The register-tiled matrix multiply for float and double (all but A·Bᵀ, which <see cref="GemmDot"/>
/// does). A chunk of C (at most <see cref="ChunkRows"/> × its chunk columns) is computed k-block by
/// k-block: the micro-kernel reads op(B) as two vectors per step, in place when B is stored k×n and
/// from zero-padded panels NR columns wide when it must be transposed (or at a partial last panel,
/// except one exactly one vector wide, which a one-vector kernel reads in place),
/// while op(A) is read in place, MR rows at a time, broadcasting one element per row and step (a
/// last partial group of rows re-reads its last row instead of being copied).
/// </summary>
internal static unsafe partial class GemmPacked
{
    /// <summary>Below this many rows of C the direct loops are used (except for A·Bᵀ).</summary>
    public const int MinimumRows = 4;

    /// <summary>Rows of C per chunk: a multiple of every MR.</summary>
    public const int ChunkRows = 128;

    /// <summary>Shortest chunk of C's rows, for products with few chunks: a multiple of every MR.</summary>
    public const int MinimumChunkRows = 32;

    /// <summary>Narrowest chunk of C's columns: a multiple of every NR.</summary>
    public const int ChunkColumns = 64;

    /// <summary>Fewer chunks of C than this, over a deep k, and k is cut into pieces.</summary>
    public const int MinimumChunks = 4;

    /// <summary>k-blocks per piece of a split k.</summary>
    public const int KPieceBlocks = 4;

    /// <summary>Largest total of partial products (pieces × m × n) worth splitting k for.</summary>
    public const long MaxPartialLength = 1 << 20;

    /// <summary>Elements of one packed block of B (k-block × chunk columns).</summary>
    public const int PackedBLength = MaxKBlock * ChunkColumns;

    /// <summary>Deepest k-block: keeps a packed B panel (k-block × NR) in the L1 cache.</summary>
    public const int MaxKBlock = 256;

    /// <summary>The widest vectors the kernels use on this CPU in the numeric family now (<see cref="KernelWidth.WidestMultiplyAdd"/>), in bits (512, 256 or 128), or 0 (scalar).</summary>
    public static int WidestBits => KernelWidth.WidestMultiplyAdd;

    /// <summary>Whether this kernel handles <typeparamref name="T"/>: float and double, on every CPU (scalar tiles where there are no vectors).</summary>
    public static bool Supports<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Rows of the register tile for vectors of <paramref name="bits"/>.</summary>
    [MethodImpl(HotPath.Options)]
    public static int TileRows(int bits) => bits == 512 ? MicroKernel512.Rows : bits == 256 ? MicroKernel256.Rows : bits == 128 ? MicroKernel128.Rows : MicroKernelScalar.Rows;

    /// <summary>Columns of the register tile: two vectors of <paramref name="bits"/>, or the scalar tile's.</summary>
    public static int TileColumns<T>(int bits) => bits == KernelWidth.Scalar ? MicroKernelScalar.Columns : 2 * bits / 8 / Unsafe.SizeOf<T>();

    /// <summary>
    /// Most bytes a k-block of a k×n B may span and still be read in place: what the first-level data TLB maps
    /// (<see cref="CacheSizes.DataTlbReachBytes"/>: 64 pages, 256 KB with 4 KB pages). Beyond it each step of k lands on a
    /// page the TLB no longer holds: a 784-input layer's weight gradient at batch 256 (800 KB a block) runs faster packed,
    /// at batch 64 (200 KB) the same either way (benchmarks/README.md, fourteenth session).
    /// </summary>
    public static long InPlaceBytes => CacheSizes.DataTlbReachBytes;

    /// <summary>
    /// Whether Aᵀ·B (A stored k×m) is computed from a transposed copy of A: where the CPU has AVX to transpose with, A is
    /// larger than <see cref="TransposedCopyOfABytes"/> (and at most <see cref="MaxTransposedCopyOfABytes"/>), and C is wider than <see cref="ChunkColumns"/> (so that A is read more than once). Read in place, each step
    /// of k takes a few elements from a new cache line of A, which the hardware does not fetch ahead far enough; from the
    /// copy each row group reads its rows' runs. The copy costs one pass over A; the product runs the same multiply-adds.
    /// </summary>
    public static bool ReadsTransposedCopyOfA<T>(int m, int n, int k) where T : unmanaged
    {
        long bytes = (long)m * k * Unsafe.SizeOf<T>();
        return Avx.IsSupported && n > ChunkColumns && bytes > TransposedCopyOfABytes && bytes <= MaxTransposedCopyOfABytes;
    }

    /// <summary>
    /// Smallest A worth copying transposed: a third of the first-level data cache (<see cref="CacheSizes.L1DataBytes"/>;
    /// 16 KB of a 48 KB one). A convolution's 16×150 weight gradient operand (9.6 KB) ran as fast either way; a 784-input
    /// dense layer's batch-64 one (32 KB) ran faster from the copy (benchmarks/README.md, fifteenth session).
    /// </summary>
    public static long TransposedCopyOfABytes => CacheSizes.L1DataBytes / 3;

    /// <summary>
    /// Largest A copied transposed: each thread of the team holds a copy while the product runs, so a huge operand is read in
    /// place instead of doubling (or more) the memory it takes.
    /// </summary>
    public const long MaxTransposedCopyOfABytes = 8 * 1024 * 1024;

    /// <summary>
    /// Elements of scratch one worker needs for <paramref name="problem"/>: a packed B block, room to start it on a cache
    /// line, and the transposed copy of A where the problem reads one.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static int WorkspaceLength<T>(in GemmProblem<T> problem) where T : unmanaged, IFloatingPointIeee754<T> =>
        PackedBLength + Tensors.AlignedArrays.Alignment / sizeof(float) + (problem.TransposedCopyOfA ? problem.M * problem.K : 0);

    /// <summary>Writes the part's transposed copy of A into <paramref name="workspace"/>, where the problem reads one; on the part's own thread, so that the copy is in that core's cache.</summary>
    [MethodImpl(HotPath.Options)]
    public static void PrepareWorkspace<T>(in GemmProblem<T> problem, T[] workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!problem.TransposedCopyOfA) return;
        fixed (T* scratch = workspace) Transpose.Matrix(problem.A, problem.K, problem.M, CopyOfA((T*)Tensors.AlignedArrays.Up((nint)scratch)));
    }

    /// <summary>Adds each row of op(A) to <see cref="GemmProblem{T}.RowSumsOfA"/>, where the problem has them (A stored k×m).</summary>
    [MethodImpl(HotPath.Options)]
    public static void AddRowSumsOfA<T>(in GemmProblem<T> problem) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (problem.RowSumsOfA == null) return;
        Elementwise.AddRows(new ReadOnlySpan<T>(problem.A, problem.M * problem.K), problem.M, new Span<T>(problem.RowSumsOfA, problem.M));
    }

    // The transposed copy of A lies after the packed B block.
    private static T* CopyOfA<T>(T* packedB) where T : unmanaged => packedB + PackedBLength;

    /// <summary>Computes one unit of work (a chunk of C over one piece of k); <paramref name="workspace"/> (of <see cref="WorkspaceLength"/>) is needed unless the product is A·Bᵀ.</summary>
    [MethodImpl(HotPath.Options)]
    public static void RunUnit<T>(in GemmProblem<T> problem, int unit, T[]? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (problem.Dot)
        {
            GemmDot.RunChunk(problem, unit);
            return;
        }
        // The panels start on a cache line, so that none of the kernel's vector loads of them straddles two.
        fixed (T* scratch = workspace) RunChunk(problem, unit, (T*)Tensors.AlignedArrays.Up((nint)scratch));
    }

    [MethodImpl(HotPath.Options)]
    private static void RunChunk<T>(in GemmProblem<T> p, int unit, T* packedB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.Unfused) RunChunk<T, Unfused>(p, unit, packedB);
        else RunChunk<T, Fused>(p, unit, packedB);
    }

    [MethodImpl(HotPath.Options)]
    private static void RunChunk<T, TMultiplyAdd>(in GemmProblem<T> p, int unit, T* packedB)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int bits = p.VectorBits, mr = TileRows(bits), nr = TileColumns<T>(bits);
        var (i0, i1, j0, j1, piece) = p.PackedUnit(unit);
        int kStart = piece * p.KPiece, kEnd = Math.Min(p.K, kStart + p.KPiece);
        // A piece of a split k writes its own partial product, which starts from zero.
        T* target = p.KPieces == 1 ? p.C : p.Partials + (nint)piece * p.M * p.N;
        if (p.K == 1)
        {
            RankOne<T, TMultiplyAdd>(p, target, i0, i1, j0, j1, overwrite: p.KPieces > 1 || !p.Accumulate);
            return;
        }
        // A B stored k×n already has each step's columns side by side; read it in place (as fast as packed panels
        // while its rows lie within the data TLB's reach, and it saves the copy), except a partial last panel whose
        // full-width vectors would run past the row. A transposed B, or one whose k-block spans more pages, is packed.
        bool inPlace = p.ReadsBInPlace;
        T* aBase = p.TransposedCopyOfA ? CopyOfA(packedB) : p.A;
        nint rowStrideA = p.TransposedCopyOfA ? p.K : p.RowStrideA, columnStrideA = p.TransposedCopyOfA ? 1 : p.ColumnStrideA;
        // In place, the full panels start at the chunk's first column whose reads of B start on a cache line (the chunk's
        // first column, except in the first chunk of a B that starts off a line); the columns before it are packed.
        int jStart = inPlace ? Math.Min(j1, j0 + (nr - (j0 + p.ColumnShift) % nr) % nr) : j0;
        int fullEnd = jStart + (j1 - jStart) / nr * nr;
        for (int k0 = kStart; k0 < kEnd; k0 += p.KBlock)
        {
            int kc = Math.Min(p.KBlock, kEnd - k0);
            // An edge exactly one vector wide is read in place too (its vectors end at the row's end) and
            // goes to the one-vector kernel; other partial edges are packed into a zero-padded panel.
            bool edgeInPlace = inPlace && bits == 512 && j1 - fullEnd == Vector512<T>.Count;
            // Packed panels lie in column order; in place, only the leading columns and a partial last panel are packed.
            T* leadPanel = packedB, lastPanel = jStart > j0 ? packedB + (nint)kc * nr : packedB;
            if (!inPlace) PackB(p, k0, kc, j0, j1, nr, packedB);
            else
            {
                if (jStart > j0) PackB(p, k0, kc, j0, jStart, nr, leadPanel);
                if (fullEnd < j1 && !edgeInPlace) PackB(p, k0, kc, fullEnd, j1, nr, lastPanel);
            }
            bool overwrite = k0 == kStart && (p.KPieces > 1 || !p.Accumulate);
            // At 512 bits, pairs of full panels take the 6×(4 vectors) tile; the columns after them the 8×(2 vectors) one.
            int pairsEnd = bits == 512 ? jStart + (j1 - jStart) / (2 * nr) * 2 * nr : jStart;
            for (int i = i0; pairsEnd > jStart && i < i1; i += MicroKernel512.WideRows)
            {
                int rows = Math.Min(MicroKernel512.WideRows, i1 - i);
                T* a = aBase + i * rowStrideA + k0 * columnStrideA;
                for (int j = jStart; j < pairsEnd; j += 2 * nr)
                {
                    T* b = inPlace ? p.B + (nint)k0 * p.N + j : packedB + (nint)(j - j0) * kc;
                    nint bStride = inPlace ? p.N : nr;
                    T* b2 = inPlace ? b + nr : b + (nint)kc * nr;
                    MicroKernel512.RunFourVectors(kc, a, rowStrideA, columnStrideA, b, b2, bStride, target + (nint)i * p.N + j, p.N, rows, overwrite);
                }
            }
            for (int i = i0, rows; (pairsEnd < j1 || jStart > j0) && i < i1; i += rows)
            {
                rows = bits == 256 ? MicroKernel256.NextTileRows(i1 - i) : Math.Min(mr, i1 - i);
                T* a = aBase + i * rowStrideA + k0 * columnStrideA;
                if (jStart > j0)
                    RunTile<T, TMultiplyAdd>(bits, kc, a, rowStrideA, columnStrideA, leadPanel, nr, target + (nint)i * p.N + j0, p.N, rows, jStart - j0, overwrite);
                if (bits == 256)
                {
                    // The strip's full panels in one call, then a partial last one from its packed panel.
                    if (fullEnd > jStart)
                    {
                        T* b = inPlace ? p.B + (nint)k0 * p.N + jStart : packedB + (nint)(jStart - j0) * kc;
                        MicroKernel256.RunStrip<T, TMultiplyAdd>(kc, a, rowStrideA, columnStrideA, b, inPlace ? p.N : nr, inPlace ? nr : (nint)kc * nr,
                            (fullEnd - jStart) / nr, target + (nint)i * p.N + jStart, p.N, rows, overwrite);
                    }
                    if (fullEnd < j1)
                        RunTile<T, TMultiplyAdd>(bits, kc, a, rowStrideA, columnStrideA, inPlace ? lastPanel : packedB + (nint)(fullEnd - j0) * kc, nr,
                            target + (nint)i * p.N + fullEnd, p.N, rows, j1 - fullEnd, overwrite);
                    continue;
                }
                T* panel = inPlace ? lastPanel : packedB + (nint)(pairsEnd - j0) * kc;
                for (int j = pairsEnd; j < j1; j += nr)
                {
                    int columns = Math.Min(nr, j1 - j);
                    T* b = panel;
                    nint bStride = nr;
                    if (inPlace && columns == nr)
                    {
                        b = p.B + (nint)k0 * p.N + j;
                        bStride = p.N;
                    }
                    else panel += kc * nr;
                    T* c = target + (nint)i * p.N + j;
                    if (bits == 512 && columns == Vector512<T>.Count)
                    {
                        // An edge exactly one vector wide takes the one-vector kernel, in place or from its panel's first
                        // vector: the 8×(2 vectors) tile would spend half its multiply-adds on the panel's zero padding.
                        if (edgeInPlace) MicroKernel512.RunOneVector(kc, a, rowStrideA, columnStrideA, p.B + (nint)k0 * p.N + j, p.N, c, p.N, rows, overwrite);
                        else MicroKernel512.RunOneVector(kc, a, rowStrideA, columnStrideA, b, nr, c, p.N, rows, overwrite);
                        continue;
                    }
                    RunTile<T, TMultiplyAdd>(bits, kc, a, rowStrideA, columnStrideA, b, bStride, c, p.N, rows, columns, overwrite);
                }
            }
        }
    }

    /// <summary>One register tile of the width's micro-kernel: <paramref name="rows"/> rows by <paramref name="columns"/> columns (at most a panel) over kc steps.</summary>
    [MethodImpl(HotPath.Options)]
    private static void RunTile<T, TMultiplyAdd>(int bits, int kc, T* a, nint rowStrideA, nint columnStrideA, T* b, nint bStride, T* c, int ldc, int rows, int columns, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        if (bits == 512) MicroKernel512.Run(kc, a, rowStrideA, columnStrideA, b, bStride, c, ldc, rows, columns, overwrite);
        else if (bits == 256) MicroKernel256.Run<T, TMultiplyAdd>(kc, a, rowStrideA, columnStrideA, b, bStride, c, ldc, rows, columns, overwrite);
        else if (bits == 128) MicroKernel128.Run<T, TMultiplyAdd>(kc, a, rowStrideA, columnStrideA, b, bStride, c, ldc, rows, columns, overwrite);
        else MicroKernelScalar.Run<T, TMultiplyAdd>(kc, a, rowStrideA, columnStrideA, b, bStride, c, ldc, rows, columns, overwrite);
    }

    /// <summary>
    /// Packs <paramref name="steps"/> rows of a 512-bit panel (two vectors, 128 bytes a row) from a B whose rows all start
    /// at the same offset from a cache line (its row length a whole number of lines, as a 784-input layer's input is). Off a
    /// line, every row's two 64-byte loads would each straddle two lines; instead each row is read as the three whole lines
    /// it touches, and the panel's two vectors are picked out of them (one two-source permute each).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static void PackPanelOfTwoLines<T>(T* source, nint rowLength, int steps, T* panel) where T : unmanaged
    {
        int offset = (int)((nint)source & 63);
        if (offset == 0)
        {
            for (int s = 0; s < steps; s++, source += rowLength, panel += 128 / sizeof(T))
            {
                Avx512F.Store((float*)panel, Avx512F.LoadAlignedVector512((float*)source));
                Avx512F.Store((float*)panel + 16, Avx512F.LoadAlignedVector512((float*)source + 16));
            }
            return;
        }
        // Lane i of each output takes element offset/4 + i of two consecutive lines; offsets are whole elements, so whole floats.
        var pick = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector512.Create(offset / sizeof(float));
        float* line = (float*)((nint)source - offset), target = (float*)panel;
        for (int s = 0; s < steps; s++, line += rowLength * sizeof(T) / sizeof(float), target += 32)
        {
            var first = Avx512F.LoadAlignedVector512(line);
            var second = Avx512F.LoadAlignedVector512(line + 16);
            var third = Avx512F.LoadAlignedVector512(line + 32);
            Avx512F.Store(target, Avx512F.PermuteVar16x32x2(first, pick, second));
            Avx512F.Store(target + 16, Avx512F.PermuteVar16x32x2(second, pick, third));
        }
    }

    /// <summary>Copies op(B)[k0..k0+kc, j0..j1] into panels of <paramref name="nr"/> columns, step after step, zero-padded.</summary>
    [MethodImpl(HotPath.Options)]
    private static void PackB<T>(in GemmProblem<T> p, int k0, int kc, int j0, int j1, int nr, T* destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* panel = destination;
        for (int j = j0; j < j1; j += nr, panel += kc * nr)
        {
            int columns = Math.Min(nr, j1 - j);
            if (columns < nr) new Span<T>(panel, kc * nr).Clear();
            if (!p.TransposeB)
            {
                // B stored k×n: each step's columns are contiguous.
                T* source = p.B + (nint)k0 * p.N + j;
                if (columns == nr && nr * sizeof(T) == 128 && Avx512F.IsSupported && p.N * sizeof(T) % 64 == 0)
                    PackPanelOfTwoLines(source, p.N, kc, panel);
                else if (columns == nr)
                {
                    // A batch-256 weight gradient packs 256 steps of 32 floats per panel.
                    for (int s = 0; s < kc; s++, source += p.N) ShortRows.Copy(source, panel + s * nr, nr);
                }
                else
                {
                    for (int s = 0; s < kc; s++, source += p.N)
                        new ReadOnlySpan<T>(source, columns).CopyTo(new Span<T>(panel + s * nr, columns));
                }
            }
            else
            {
                // B stored n×k: each column of op(B) is a contiguous row; transpose it into the panel.
                T* source = p.B + (nint)j * p.K + k0;
                int column = 0;
                int square = Transpose.Side<T>();
                if (square > 0)
                {
                    int fullSteps = kc - kc % square;
                    for (; column + square <= columns; column += square)
                    {
                        T* rows = source + (nint)column * p.K;
                        for (int s = 0; s < fullSteps; s += square)
                            Transpose.Square(rows + s, p.K, panel + s * nr + column, nr);
                        for (int r = 0; r < square; r++)
                            for (int s = fullSteps; s < kc; s++) panel[s * nr + column + r] = rows[r * (nint)p.K + s];
                    }
                }
                for (; column < columns; column++)
                {
                    T* row = source + (nint)column * p.K;
                    T* target = panel + column;
                    for (int s = 0; s < kc; s++) target[s * nr] = row[s];
                }
            }
        }
    }
}
