using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// One matrix product as the packed kernel sees it: raw pointers (pinned by the caller for the
/// whole call), shapes, and how C is cut into fixed chunks. The chunking depends on the shape
/// only, never on the thread count, which is what keeps results bit-identical across threads.
/// </summary>
internal readonly unsafe struct GemmProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <remarks><paramref name="rowParts"/>, for A·Bᵀ only: when above 1, C is cut into that many bands of whole rows (of at
    /// least <see cref="MinimumRowsPerPart"/> rows each) instead of column chunks; see <see cref="MatrixMultiply.Compute{T}"/>'s
    /// <c>splitRows</c>. Which chunk holds an element never changes its sum, and the cut of k stays the one the column
    /// chunks would have had.</remarks>
    [MethodImpl(HotPath.Options)]
    public GemmProblem(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int n, int k, bool accumulate, int rowParts = 0)
    {
        A = a;
        B = b;
        C = c;
        TransposeB = transposeB;
        Dot = transposeB && !transposeA;
        M = m;
        N = n;
        K = k;
        Accumulate = accumulate;
        TransposedCopyOfA = transposeA && !transposeB && GemmPacked.ReadsTransposedCopyOfA<T>(m, n, k);
        // op(A)[i,p] lives at A + i·RowStrideA + p·ColumnStrideA.
        RowStrideA = transposeA ? 1 : k;
        ColumnStrideA = transposeA ? m : 1;
        int kBlocks = (k + GemmPacked.MaxKBlock - 1) / GemmPacked.MaxKBlock;
        KBlock = (k + kBlocks - 1) / kBlocks;
        // Shallow products (a convolution's k = 25) get wider chunks, so that each chunk still has
        // enough work to pay for claiming it; its packed B block stays within the workspace.
        ChunkColumns = Dot ? DotChunkColumns : Math.Max(GemmPacked.ChunkColumns, 4096 / KBlock / GemmPacked.ChunkColumns * GemmPacked.ChunkColumns);
        ChunksN = (n + ChunkColumns - 1) / ChunkColumns;
        // The decisions below that change sums (cutting k) or read the layer's shape (a narrow layer) count chunks of
        // GemmPacked.ChunkColumns, whatever width the row-dot product's chunks have, so that its results stay the same bits.
        int wideChunksN = (n + GemmPacked.ChunkColumns - 1) / GemmPacked.ChunkColumns;
        // Chunks are numbered row band by row band, and the threads take contiguous ranges of them, so
        // a product split across cores is split by rows of C: the rows (samples) the next layer's split
        // reads, or the weight-gradient rows the optimizer's split updates on the same core. Hence at
        // least two row bands where the rows allow, and shorter row chunks for a product with too few
        // chunks to share (a batch-1 weight gradient, 128×784 over k = 1, becomes four chunks of 32
        // rows). Chunking never changes how an element of C is summed, only which thread sums it.
        ChunkRows = GemmPacked.ChunkRows;
        while (!Dot && ChunkRows > GemmPacked.MinimumChunkRows
            && ((m + ChunkRows - 1) / ChunkRows < 2 || (m + ChunkRows - 1) / ChunkRows * ChunksN < GemmPacked.MinimumChunks))
            ChunkRows /= 2;
        // A row-dot product too narrow for two column chunks (a 128→10 layer's forward pass) is cut into
        // two row halves instead: each core then reads the half of the batch that the previous layer's
        // split left in its cache. A row's sum does not depend on which chunk holds it.
        if (Dot && wideChunksN < 2)
        {
            ChunkRows = Math.Min(ChunkRows, ((m + 1) / 2 + 3) / 4 * 4);
            ChunkColumns = n;
            ChunksN = 1;
        }
        ChunksM = (m + ChunkRows - 1) / ChunkRows;
        int columnChunks = Dot ? wideChunksN : ChunksN;
        if (Dot && rowParts > 1 && m >= rowParts * MinimumRowsPerPart && (m + rowParts - 1) / rowParts <= GemmPacked.ChunkRows
            && (long)n * k * sizeof(T) <= MaxRowSplitBBytes)
        {
            // One band of rows per part, a multiple of four rows (the row-dot tiles' height), all columns each.
            ChunkRows = ((m + rowParts - 1) / rowParts + 3) / 4 * 4;
            ChunksM = (m + ChunkRows - 1) / ChunkRows;
            ChunkColumns = n;
            ChunksN = 1;
        }
        // A small C over a deep k (a convolution's weight gradient: 6×25 over 64·28·28) has too few
        // chunks to share; cut k into fixed pieces whose partial products are summed in piece order.
        // For the dot-product path the decision must not depend on m, so that a row of C is the same
        // whatever the batch size.
        KPiece = k;
        int piece = GemmPacked.KPieceBlocks * KBlock;
        bool fewChunks = Dot ? columnChunks < GemmPacked.MinimumChunks : ChunksM * ChunksN < GemmPacked.MinimumChunks;
        if (fewChunks && k >= 2 * piece && (Dot || (long)m * n * ((k + piece - 1) / piece) <= GemmPacked.MaxPartialLength))
            KPiece = piece;
        KPieces = (k + KPiece - 1) / KPiece;
        // A product whose B is packed (transposed, or spanning more than the data TLB maps per k-block: a weight gradient at
        // batch 128 and more) packs each block of B once per chunk. Cut into two row bands, each block was packed twice, once
        // per band, and the packing took a fifth of the product; one band of all the rows packs it once, and the cores share
        // the columns instead. That costs the optimizer a cross-core read of half the gradient, and still saved 2–4 % of an
        // MLP step at batch 128 and 256 (benchmarks/README.md, fifteenth session). Decided after k's cut, which it leaves
        // as it was, so the sums are the same.
        // In place only where its k-block stays within the TLB's reach, and, where enough rows of A read each block, where its
        // rows do not crowd a few of the L1 cache's sets (rows a whole kilobyte apart, a 256-, 512- or 1024-wide layer's input).
        ReadsBInPlace = !transposeB && (long)KBlock * n * sizeof(T) <= GemmPacked.InPlaceBytes
            && !(m >= GemmPacked.MinimumChunkRows && CacheSets.Crowded((long)n * sizeof(T), KBlock, Math.Min(n, ChunkColumns) * sizeof(T)));
        if (!Dot && !ReadsBInPlace && KPieces == 1 && ChunksN >= GemmPacked.MinimumChunks && ChunksM > 1 && m <= GemmPacked.ChunkRows)
        {
            ChunkRows = GemmPacked.ChunkRows;
            ChunksM = 1;
        }
        // A B read in place that starts off a cache line (a caller's own array: .NET aligns elements to 8 bytes only), with
        // rows a whole number of lines long so that every row is off by as much: the column chunks move left by that much, so
        // that the tiles' vector reads of B start on cache lines instead of each straddling two. Only the first chunk's
        // first columns are then read from a packed panel. Which chunk computes an element never changes its sum, and the
        // decisions above that do (cutting k) counted the unshifted chunks.
        if (!Dot && ReadsBInPlace && (long)n * sizeof(T) % CacheLineBytes == 0)
        {
            ColumnShift = (int)(((nint)b & (CacheLineBytes - 1)) / sizeof(T));
            ChunksN = (n + ColumnShift + ChunkColumns - 1) / ChunkColumns;
        }
        // One band of rows whose last column chunk is a narrow edge (the last 16 of a 784-input layer's weight gradient):
        // the edge is cut into two halves of its rows, the first unit and the last, so that the two cores' contiguous ranges
        // hold the same work. Whole, the edge (a quarter of a chunk's columns, half its time) fell to one core, which the
        // other then waited for (benchmarks/README.md, "twenty-first session").
        var (lastStart, lastEnd) = PackedChunkColumns(ChunksN - 1);
        SplitsEdge = !Dot && KPieces == 1 && ChunksM == 1 && ChunksN >= 2 && 2 * (lastEnd - lastStart) <= ChunkColumns
            && m >= 2 * GemmPacked.MinimumChunkRows;
    }

    /// <summary>
    /// Columns of C per chunk of the row-dot product (A·Bᵀ): two of its wide tiles' bands. Each core still takes a
    /// contiguous range of chunks, the same columns of the weight every call, so narrow chunks cost nothing while the
    /// cores keep pace; when one falls behind (a virtual CPU whose host core is busy elsewhere, a core at a lower clock)
    /// the other takes chunks from the end of its range instead of waiting for half the product.
    /// </summary>
    public const int DotChunkColumns = 16;

    /// <summary>Fewest rows of C per part for a product cut into bands of rows: fewer, and the column chunks are kept.</summary>
    public const int MinimumRowsPerPart = 8;

    /// <summary>
    /// Largest B (the weight) that every core reads whole when C is cut into bands of rows: it must stay in each core's
    /// L2 cache beside the rows it streams, so half of it (<see cref="CacheSizes.L2Bytes"/>; 512 KB of a 1 MB L2); a larger
    /// one keeps the column chunks, which give each core its share of B. Bands of more than <see cref="GemmPacked.ChunkRows"/>
    /// rows keep them too: a band's rows of A would then stream from memory once per block of B.
    /// </summary>
    public static long MaxRowSplitBBytes => CacheSizes.L2Bytes / 2;

    public T* A { get; }
    public T* B { get; }
    public T* C { get; }
    public bool TransposeB { get; }

    /// <summary>Whether this is A·Bᵀ with A not transposed, computed as row dot products by <see cref="GemmDot"/>.</summary>
    public bool Dot { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public bool Accumulate { get; }
    public nint RowStrideA { get; }
    public nint ColumnStrideA { get; }
    /// <summary>Rows of C per chunk: <see cref="GemmPacked.ChunkRows"/>, or fewer for a product with few chunks.</summary>
    public int ChunkRows { get; }

    public int ChunksM { get; }

    /// <summary>Columns of C per chunk: a multiple of <see cref="GemmPacked.ChunkColumns"/>, wider when k is small; for the row-dot
    /// product <see cref="DotChunkColumns"/>, or all n when n is at most <see cref="GemmPacked.ChunkColumns"/>.</summary>
    public int ChunkColumns { get; }

    public int ChunksN { get; }

    /// <summary>The depth of one pass over k: at most <see cref="GemmPacked.MaxKBlock"/>, split evenly.</summary>
    public int KBlock { get; }

    /// <summary>Steps of k per piece; <see cref="K"/> when k is not split.</summary>
    public int KPiece { get; }

    /// <summary>Number of pieces k is cut into (1 when it is not split).</summary>
    public int KPieces { get; }

    /// <summary>When k is split: <see cref="KPieces"/> buffers of m×n for the partial products, one after another.</summary>
    public T* Partials { get; init; }

    /// <summary>
    /// A bias added to every row of C (n values), or null. Only the row-dot path takes it, and only
    /// when neither accumulating nor cutting k; <see cref="MatrixMultiply"/> copies it into C first otherwise.
    /// </summary>
    public T* Bias { get; init; }

    /// <summary>
    /// B packed by <see cref="GemmDot.Pack{T}"/> (a frozen network's dense weight), or null: the row-dot path's 512-bit tiles
    /// then read it instead of B's rows, over an uncut k. The same sums either way.
    /// </summary>
    public T* PackedB { get; init; }

    /// <summary>
    /// Applied to each finished chunk of C by the thread that computed it (products over an uncut k: row-dot chunks, or packed
    /// chunks of whole rows), or null;
    /// <see cref="MatrixMultiply"/> applies it to the whole of C afterwards otherwise.
    /// </summary>
    public IRowsEpilogue<T>? Epilogue { get; init; }

    /// <summary>
    /// Null, or m values to which each row of op(A) (A stored k×m) is added, in the order of k, by the team's part 0 before its
    /// chunks (<see cref="MatrixMultiply.Compute{T}"/>'s <c>rowSumsOfA</c>).
    /// </summary>
    public T* RowSumsOfA { get; init; }

    /// <summary>The rows and columns of C that a chunk of the packed kernel covers where each chunk is whole rows (one chunk column).</summary>
    public (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd) PackedChunkOfWholeRows(int chunk) =>
        (chunk * ChunkRows, Math.Min(M, chunk * ChunkRows + ChunkRows), 0, N);

    /// <summary>The rows and columns of C that a row-dot chunk covers.</summary>
    public (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd) DotChunk(int chunk) =>
        (chunk % ChunksM * ChunkRows, Math.Min(M, chunk % ChunksM * ChunkRows + ChunkRows),
         chunk / ChunksM * ChunkColumns, Math.Min(N, chunk / ChunksM * ChunkColumns + ChunkColumns));

    /// <summary>
    /// The vector width the kernels use, in bits (512, 256, 128, or <see cref="KernelWidth.Scalar"/> for scalar tiles):
    /// <see cref="KernelWidth.MultiplyAdd"/> by default; tests choose narrower ones to show that every width gives the same C.
    /// </summary>
    public int VectorBits { get; init; }

    /// <summary>
    /// Whether the kernels multiply and add separately (the unfused family, <see cref="Kernels.Unfused"/>) instead of
    /// with fused multiply-adds: <see cref="KernelWidth.FusedFamily"/>'s opposite, read once per product.
    /// </summary>
    public bool Unfused { get; init; }

    /// <summary>
    /// Whether each part of the team first copies A (stored k×m) transposed into its own scratch and the kernel reads the
    /// copy (<see cref="GemmPacked.ReadsTransposedCopyOfA{T}"/>): the same multiply-adds, so the same C.
    /// </summary>
    public bool TransposedCopyOfA { get; }

    /// <summary>
    /// Whether the packed kernel reads B in place (stored k×n, a k-block within <see cref="GemmPacked.InPlaceBytes"/>, and for
    /// <see cref="GemmPacked.MinimumChunkRows"/> rows of A or more, rows that do not crowd the L1 cache's sets: <see cref="CacheSets"/>)
    /// rather than packing it into panels chunk by chunk. Either way the same sums.
    /// </summary>
    public bool ReadsBInPlace { get; }

    /// <summary>
    /// Elements by which B (read in place) starts past a cache line, by which the packed kernel's column chunks are moved
    /// left; 0 when B starts on a line, or is packed, or its rows are not a whole number of lines long.
    /// </summary>
    public int ColumnShift { get; }

    /// <summary>The columns of C that the packed kernel's chunks in chunk column <paramref name="chunkColumn"/> cover.</summary>
    [MethodImpl(HotPath.Options)]
    public (int Start, int End) PackedChunkColumns(int chunkColumn)
    {
        int start = chunkColumn * ChunkColumns - ColumnShift;
        return (Math.Max(0, start), Math.Min(N, start + ChunkColumns));
    }

    /// <summary>Bytes in a cache line, to which <see cref="ColumnShift"/> aligns B's reads.</summary>
    internal const int CacheLineBytes = 64;

    /// <summary>Units of work: every chunk of C times every piece of k; one more where the edge is cut in two (<see cref="SplitsEdge"/>).</summary>
    public int ChunkCount => ChunksM * ChunksN * KPieces + (SplitsEdge ? 1 : 0);

    /// <summary>
    /// Whether the packed kernel's last column chunk, a narrow edge in a product of one band of rows over an uncut k, is two
    /// units of half its rows each: unit 0 and the last unit, with the other chunks in between (unit u is chunk u − 1).
    /// </summary>
    public bool SplitsEdge { get; }

    /// <summary>The rows and columns of C that unit <paramref name="unit"/> of the packed kernel covers, and its piece of k.</summary>
    [MethodImpl(HotPath.Options)]
    public (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd, int Piece) PackedUnit(int unit)
    {
        if (SplitsEdge)
        {
            // Halves of whole strips of the width's tile, so that neither adds a partial strip.
            int strip = GemmPacked.TileRows(VectorBits), half = (M / 2 + strip - 1) / strip * strip;
            var (edgeStart, edgeEnd) = PackedChunkColumns(ChunksN - 1);
            if (unit == 0) return (0, half, edgeStart, edgeEnd, 0);
            if (unit == ChunksN) return (half, M, edgeStart, edgeEnd, 0);
            var (start, end) = PackedChunkColumns(unit - 1);
            return (0, M, start, end, 0);
        }
        int chunk = unit % (ChunksM * ChunksN), piece = unit / (ChunksM * ChunksN);
        int i0 = chunk / ChunksN * ChunkRows;
        var (j0, j1) = PackedChunkColumns(chunk % ChunksN);
        return (i0, Math.Min(M, i0 + ChunkRows), j0, j1, piece);
    }
}
