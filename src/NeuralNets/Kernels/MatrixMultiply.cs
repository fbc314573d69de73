using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The one entry point for matrix multiplication: every layer calls it, so the kernel behind it
/// can be replaced without touching them. Row-major throughout.
/// </summary>
/// <remarks>
/// Effectively computes <c>C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]</c> where
/// <c>op(A)</c> is A (stored m×k) or Aᵀ (A stored k×m), likewise for B.
/// <para>
/// float and double take row dot products for <c>A·Bᵀ</c> (<see cref="GemmDot"/>: a dense layer's
/// forward pass, whose rows must not depend on the batch size) and the packed-panel kernel otherwise
/// (<see cref="GemmPacked"/>), with 512-, 256- or 128-bit vectors where the CPU has them and scalar tiles
/// elsewhere: every width computes each element with the same multiply-adds in the same order, fused on CPUs with
/// a hardware FMA and a rounded product then a sum on CPUs without one (<see cref="KernelWidth"/>), so C is the
/// same bit for bit on every CPU of a family. Other element types and products with fewer
/// rows than <see cref="GemmPacked.MinimumRows"/> (a choice made by the shape alone) take the direct loops
/// (<see cref="GemmDirect"/>).
/// </para>
/// <para>
/// Threads: C is cut into fixed chunks whose size depends only on the shape; threads of the
/// <see cref="WorkerTeam"/> claim whole chunks, and each element of C is summed by one thread in a
/// fixed order, so the result is bit-identical whatever the thread count. A small C over a deep k
/// (a convolution's weight gradient) is instead cut along k into fixed pieces, whose partial
/// products are added in piece order: just as independent of the thread count. The default thread
/// count is the team's (<see cref="Parallelism.MaxThreads"/>); products below the caller's threshold
/// (<see cref="ParallelThreshold"/> unless it says otherwise) run on the calling thread.
/// </para>
/// </remarks>
internal static class MatrixMultiply
{
    /// <summary>Products with fewer multiply-adds than this run on the calling thread only.</summary>
    public const long ParallelThreshold = 1L << 20;

    /// <summary>
    /// A lower threshold for products whose large operand is a layer's own weight or weight gradient
    /// (a dense layer at batch 1): split the same way on every call, each core keeps its half of them in
    /// its cache from the forward pass through the backward pass to the optimizer. A product whose large
    /// operand the calling thread has just written (a convolution's unfolded input) is better left whole:
    /// moving that to another core costs more than the second core saves.
    /// </summary>
    public const long ResidentParallelThreshold = 1L << 16;

    /// <summary>Computes the product; see the type's remarks.</summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="transposeA">Whether op(A) is Aᵀ.</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="transposeB">Whether op(B) is Bᵀ.</param>
    /// <param name="c">C, stored m×n; must not overlap A or B.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="accumulate">Whether to add to C instead of overwriting it.</param>
    /// <param name="parallelThreshold">Products with fewer multiply-adds run on the calling thread
    /// (<see cref="ParallelThreshold"/>, or <see cref="ResidentParallelThreshold"/>).</param>
    /// <param name="maxThreads">Most threads to use; 0 means the team's size (<see cref="Parallelism.MaxThreads"/>).
    /// The result does not depend on it.</param>
    /// <param name="bias">Empty, or n values added to every row of C: C = bias + op(A)·op(B), each element
    /// rounded exactly as when C holds the bias and the product is accumulated into it. Not with
    /// <paramref name="accumulate"/>.</param>
    /// <param name="vectorBits">The vector width of the kernels (512, 256 or 128 bits; 0: <see cref="KernelWidth.MultiplyAdd"/>,
    /// the CPU's widest unless a test narrowed it, to scalar tiles too). The result does not depend on it; tests narrow
    /// it to check the paths of other CPUs on this one.</param>
    /// <param name="splitRows">For A·Bᵀ (a dense layer's forward pass): give each thread a band of whole rows of C
    /// rather than a chunk of its columns, when there are enough rows. Inference wants this: each core then reads only
    /// the rows (samples) the layer before left in its cache, and every weight, which stays unchanged in both caches,
    /// where training's column chunks keep each core's share of a weight that the optimizer rewrites there. The result
    /// does not depend on it.</param>
    /// <param name="epilogue">Null, or work applied in place to every element of C once it is final (a dense layer's activation
    /// in inference): by the thread that computed it where the product allows, else to the whole of C at the end.</param>
    /// <param name="packedB">Empty, or B packed by <see cref="GemmDot.Pack{T}"/> from this very B (a frozen network's weight):
    /// the row-dot path's 512-bit tiles read it instead. The result does not depend on it.</param>
    /// <param name="rowSumsOfA">Empty, or m values to which each row of op(A) is added (Aᵀ only, A stored k×m: a dense layer's
    /// bias gradient beside its weight gradient), exactly as <see cref="Elementwise.AddRows{T}"/> adds A's rows to them. On the
    /// team, the calling thread's part does it before its chunks, while the other parts start on theirs.</param>
    [MethodImpl(HotPath.Options)]
    public static void Compute<T>(
        ReadOnlySpan<T> a, bool transposeA,
        ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate, int maxThreads = 0, long parallelThreshold = ParallelThreshold,
        ReadOnlySpan<T> bias = default, int vectorBits = 0, bool splitRows = false, IRowsEpilogue<T>? epilogue = null, ReadOnlySpan<T> packedB = default,
        Span<T> rowSumsOfA = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ComputeProduct(a, transposeA, b, transposeB, c, m, n, k, accumulate, maxThreads, parallelThreshold, bias, vectorBits, splitRows, ref epilogue, packedB,
            ref rowSumsOfA);
        // What the chunks did not take (k cut into pieces, other paths): applied to the whole of C now.
        epilogue?.Apply(c[..(m * n)], 0);
        // Row sums the team did not take (the direct loops, an empty product).
        if (!rowSumsOfA.IsEmpty) Elementwise.AddRows(a[..(m * k)], m, rowSumsOfA);
    }

    /// <summary>
    /// C = op(A)·op(B) as <see cref="Compute{T}"/> computes it, with <paramref name="epilogue"/> given each chunk of C as it is
    /// finished, on the thread that computed it, where the product's chunks allow (row-dot chunks on the team, packed chunks of
    /// whole rows); otherwise not at all, and the caller applies its work in its own way (a pass of its own split across the
    /// team, where the whole of C on the calling thread would be slower).
    /// </summary>
    /// <returns>Whether nothing of the epilogue is left to do: the chunks applied it, or there was none.</returns>
    [MethodImpl(HotPath.Options)]
    public static bool ComputeWithChunkEpilogue<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate,
        long parallelThreshold, IRowsEpilogue<T>? epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IRowsEpilogue<T>? left = epilogue;
        Span<T> noSums = default;
        ComputeProduct(a, transposeA, b, transposeB, c, m, n, k, accumulate, 0, parallelThreshold, default, 0, false, ref left, default, ref noSums);
        return left is null;
    }

    [MethodImpl(HotPath.Options)]
    private static void ComputeProduct<T>(
        ReadOnlySpan<T> a, bool transposeA,
        ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate, int maxThreads, long parallelThreshold,
        ReadOnlySpan<T> bias, int vectorBits, bool splitRows, ref IRowsEpilogue<T>? epilogue, ReadOnlySpan<T> packedB, ref Span<T> rowSumsOfA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The messages are built in methods of their own (ProductErrors), so that this one, compiled at its first call,
        // does not compile their formatting too.
        if ((m | n | k | maxThreads) < 0) throw ProductErrors.Negative(m, n, k, maxThreads);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw ProductErrors.SpanLengths(m, n, k, a.Length, b.Length, c.Length);
        if (!bias.IsEmpty && (accumulate || bias.Length != n)) throw ProductErrors.Bias(bias.Length, n, accumulate);
        if (!rowSumsOfA.IsEmpty && (!transposeA || rowSumsOfA.Length != m)) throw ProductErrors.RowSumsOfA(rowSumsOfA.Length, m, transposeA);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!bias.IsEmpty) CopyBiasToRows(bias, c, m);
            else if (!accumulate) c[..(m * n)].Clear();
            return;
        }

        if (vectorBits is not (0 or 128 or 256 or 512) || vectorBits > GemmPacked.WidestBits) throw ProductErrors.VectorBits(vectorBits);
        if (vectorBits == 0) vectorBits = KernelWidth.MultiplyAdd;
        if (!packedB.IsEmpty && (!transposeB || transposeA || packedB.Length != GemmDot.PackedLength<T>(n, k)))
            throw ProductErrors.PackedB(packedB.Length, m, n, k, transposeB && !transposeA);
        bool unfused = !KernelWidth.FusedFamily;
        if (GemmPacked.Supports<T>() && (m >= GemmPacked.MinimumRows || (transposeB && !transposeA)))
        {
            int threads = maxThreads == 0 ? WorkerTeam.Threads : maxThreads;
            if ((long)m * n * k < parallelThreshold) threads = 1;
            // Bands of rows only where the team will run them side by side: a product that will run on its caller alone
            // (a second caller's Predict while the team serves the first, say) keeps its column chunks, which read each block of B once for all rows.
            int rowParts = splitRows && !WorkerTeam.Busy ? Math.Min(threads, WorkerTeam.Threads) : 0;
            unsafe
            {
                fixed (T* pa = &MemoryMarshal.GetReference(a))
                fixed (T* pb = &MemoryMarshal.GetReference(b))
                fixed (T* pc = &MemoryMarshal.GetReference(c))
                fixed (T* pbias = &MemoryMarshal.GetReference(bias))
                fixed (T* ppacked = &MemoryMarshal.GetReference(packedB))
                fixed (T* psums = &MemoryMarshal.GetReference(rowSumsOfA))
                {
                    var problem = new GemmProblem<T>(pa, transposeA, pb, transposeB, pc, m, n, k, accumulate, rowParts) { VectorBits = vectorBits, Unfused = unfused };
                    if (!bias.IsEmpty)
                    {
                        // The row-dot kernel adds the bias as it stores each sum; elsewhere C starts as the
                        // bias on every row and the product is added to it. Either way each element is bias + sum.
                        if (problem.Dot && problem.KPieces == 1) problem = problem with { Bias = pbias };
                        else
                        {
                            CopyBiasToRows(bias, c, m);
                            accumulate = true;
                            problem = new GemmProblem<T>(pa, transposeA, pb, transposeB, pc, m, n, k, accumulate, rowParts) { VectorBits = vectorBits, Unfused = unfused };
                        }
                    }
                    if (!rowSumsOfA.IsEmpty)
                    {
                        problem = problem with { RowSumsOfA = psums };
                        rowSumsOfA = default;
                    }
                    if (problem.KPieces == 1)
                    {
                        // The row-dot chunks apply the epilogue as each finishes (GemmJob), and so do packed chunks of whole
                        // rows (a dense layer's input gradient), each one run of C. On one thread a row-dot product waits for
                        // the whole of C: a column chunk's rows are runs of sixteen, and one call per run cost more than the
                        // activation itself (a 784→128 ReLU layer at batch 64: 6 % of the product, benchmarks/README.md).
                        if (epilogue is not null && (problem.Dot ? threads > 1 : problem.ChunksN == 1))
                        {
                            problem = problem with { Epilogue = epilogue };
                            epilogue = null;
                        }
                        // The 512-bit row-dot tiles read a packed B over an uncut k.
                        if (!packedB.IsEmpty && problem.Dot && vectorBits == 512) problem = problem with { PackedB = ppacked };
                        GemmJob<T>.Run(problem, threads);
                        return;
                    }
                    RunInPieces(problem, threads, c, accumulate);
                }
            }
            return;
        }

        if (!bias.IsEmpty) CopyBiasToRows(bias, c, m);
        GemmDirect.Compute(a, transposeA, b, transposeB, c, m, n, k, accumulate || !bias.IsEmpty);
    }

    /// <summary>A product with k cut into pieces (<see cref="GemmProblem{T}.KPieces"/>): each piece's product apart, then C (+)= Σ of them, in piece order whatever thread computed each.</summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe void RunInPieces<T>(GemmProblem<T> problem, int threads, Span<T> c, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = problem.M * problem.N;
        T[] partials = ArrayPool<T>.Shared.Rent(problem.KPieces * size);
        fixed (T* pp = partials)
        {
            GemmJob<T>.Run(problem with { Partials = pp }, threads);
            var target = c[..size];
            if (!accumulate) new ReadOnlySpan<T>(pp, size).CopyTo(target);
            else Elementwise.Add(target, new ReadOnlySpan<T>(pp, size), target);
            for (int piece = 1; piece < problem.KPieces; piece++)
                Elementwise.Add(target, new ReadOnlySpan<T>(pp + (nint)piece * size, size), target);
        }
        ArrayPool<T>.Shared.Return(partials);
    }

    [MethodImpl(HotPath.Options)]
    private static void CopyBiasToRows<T>(ReadOnlySpan<T> bias, Span<T> c, int m)
    {
        for (int row = 0; row < m; row++) bias.CopyTo(c.Slice(row * bias.Length, bias.Length));
    }
}
