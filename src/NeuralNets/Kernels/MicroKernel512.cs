using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The 8×(2 vectors) register tile on <see cref="Vector512{T}"/> with FMA: for each step p of the
/// k-block it broadcasts op(A)[r, p] for every row r and multiply-adds it into two vectors of the
/// packed B panel. The accumulators start at zero and are added to C (or overwrite it) once at
/// the end, so each element of C is summed in the same order whoever runs the tile.
/// </summary>
internal static unsafe partial class MicroKernel512
{
    /// <summary>Rows of the tile (MR).</summary>
    public const int Rows = 8;

    /// <summary>
    /// C[0..rows, 0..columns] (row stride <paramref name="ldc"/>) = (overwrite ? 0 : C) + A·B over
    /// <paramref name="kc"/> steps, with A[r, s] at a + r·rowStride + s·columnStride for r &lt; rows and
    /// B as kc rows of 2 vectors, <paramref name="bStride"/> apart. Rows past <paramref name="rows"/> re-read the last row (their
    /// results are dropped), so a partial tile needs no copy of A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, int columns, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tileColumns = 2 * Vector512<T>.Count;
        if (columns == tileColumns)
        {
            Tile<T>(kc, a, rowStride, columnStride, b, bStride, c, ldc, rows, overwrite);
            return;
        }
        // A partial tile: computed into a full-width scratch tile, then only the valid columns go to C.
        T* tile = stackalloc T[Rows * 2 * Vector512<T>.Count];
        Tile<T>(kc, a, rowStride, columnStride, b, bStride, tile, tileColumns, rows, overwrite: true);
        PartialTile.WriteOut(tile, tileColumns, c, ldc, rows, columns, overwrite);
    }

    // The k-loop and the stores of a full tile, alone in a method with nothing after the loop but straight stores:
    // the JIT then keeps every accumulator in a register, whether or not it has a profile to go by. With the partial
    // tile's scratch path in the same method, code compiled without a profile (DOTNET_TieredCompilation=0, and every
    // method's first optimised compile) spilled the accumulators to the stack on every step (benchmarks/README.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile<T>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        nint o4 = Math.Min(4, last) * rowStride;
        nint o5 = Math.Min(5, last) * rowStride;
        nint o6 = Math.Min(6, last) * rowStride;
        nint o7 = Math.Min(7, last) * rowStride;
        for (int s = 0; s < kc; s++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            var x0 = Vector512.Create(a[0]);
            c00 = Fma(x0, b0, c00);
            c01 = Fma(x0, b1, c01);
            var x1 = Vector512.Create(a[o1]);
            c10 = Fma(x1, b0, c10);
            c11 = Fma(x1, b1, c11);
            var x2 = Vector512.Create(a[o2]);
            c20 = Fma(x2, b0, c20);
            c21 = Fma(x2, b1, c21);
            var x3 = Vector512.Create(a[o3]);
            c30 = Fma(x3, b0, c30);
            c31 = Fma(x3, b1, c31);
            var x4 = Vector512.Create(a[o4]);
            c40 = Fma(x4, b0, c40);
            c41 = Fma(x4, b1, c41);
            var x5 = Vector512.Create(a[o5]);
            c50 = Fma(x5, b0, c50);
            c51 = Fma(x5, b1, c51);
            var x6 = Vector512.Create(a[o6]);
            c60 = Fma(x6, b0, c60);
            c61 = Fma(x6, b1, c61);
            var x7 = Vector512.Create(a[o7]);
            c70 = Fma(x7, b0, c70);
            c71 = Fma(x7, b1, c71);
            a += columnStride;
            b += bStride;
        }

        Store(c, c00, c01, w, overwrite);
        if (rows > 1) Store(c + 1 * ldc, c10, c11, w, overwrite);
        if (rows > 2) Store(c + 2 * ldc, c20, c21, w, overwrite);
        if (rows > 3) Store(c + 3 * ldc, c30, c31, w, overwrite);
        if (rows > 4) Store(c + 4 * ldc, c40, c41, w, overwrite);
        if (rows > 5) Store(c + 5 * ldc, c50, c51, w, overwrite);
        if (rows > 6) Store(c + 6 * ldc, c60, c61, w, overwrite);
        if (rows > 7) Store(c + 7 * ldc, c70, c71, w, overwrite);
    }

    /// <summary>
    /// The same product for a tile one vector wide (an edge of exactly <see cref="Vector512{T}.Count"/>
    /// columns, such as the last 16 of 784): eight accumulators instead of sixteen, so the edge costs
    /// its own work rather than a full tile's. Each element is the same FMA chain over k as in
    /// <see cref="Run{T}"/>, so results are bit-identical to the full-width kernel's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunOneVector<T>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<T> c4 = default, c5 = default, c6 = default, c7 = default;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        nint o4 = Math.Min(4, last) * rowStride;
        nint o5 = Math.Min(5, last) * rowStride;
        nint o6 = Math.Min(6, last) * rowStride;
        nint o7 = Math.Min(7, last) * rowStride;
        for (int s = 0; s < kc; s++)
        {
            var b0 = Vector512.Load(b);
            c0 = Fma(Vector512.Create(a[0]), b0, c0);
            c1 = Fma(Vector512.Create(a[o1]), b0, c1);
            c2 = Fma(Vector512.Create(a[o2]), b0, c2);
            c3 = Fma(Vector512.Create(a[o3]), b0, c3);
            c4 = Fma(Vector512.Create(a[o4]), b0, c4);
            c5 = Fma(Vector512.Create(a[o5]), b0, c5);
            c6 = Fma(Vector512.Create(a[o6]), b0, c6);
            c7 = Fma(Vector512.Create(a[o7]), b0, c7);
            a += columnStride;
            b += bStride;
        }
        StoreOne(c, c0, overwrite);
        if (rows > 1) StoreOne(c + 1 * ldc, c1, overwrite);
        if (rows > 2) StoreOne(c + 2 * ldc, c2, overwrite);
        if (rows > 3) StoreOne(c + 3 * ldc, c3, overwrite);
        if (rows > 4) StoreOne(c + 4 * ldc, c4, overwrite);
        if (rows > 5) StoreOne(c + 5 * ldc, c5, overwrite);
        if (rows > 6) StoreOne(c + 6 * ldc, c6, overwrite);
        if (rows > 7) StoreOne(c + 7 * ldc, c7, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne<T>(T* c, Vector512<T> value, bool overwrite) where T : unmanaged
    {
        if (!overwrite) value += Vector512.Load(c);
        Vector512.Store(value, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> low, Vector512<T> high, int w, bool overwrite) where T : unmanaged
    {
        if (!overwrite)
        {
            low += Vector512.Load(c);
            high += Vector512.Load(c + w);
        }
        Vector512.Store(low, c);
        Vector512.Store(high, c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> accumulator)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), accumulator.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), accumulator.AsDouble()).As<double, T>();
    }
}
