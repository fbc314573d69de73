using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The 6×(2 vectors) register tile on <see cref="Vector256{T}"/>: for each step p of the
/// k-block it broadcasts op(A)[r, p] for every row r and multiply-adds it (fused or not, as the
/// <see cref="IMultiplyAdd"/> family says) into two vectors of the packed B panel. The accumulators start at zero and are added to C (or overwrite it) once at
/// the end, so each element of C is summed in the same order whoever runs the tile.
/// </summary>
internal static unsafe class MicroKernel256
{
    /// <summary>
    /// Rows of the tile (MR): twelve accumulators, two B vectors and a broadcast fill fifteen of the sixteen registers a
    /// 256-bit-only CPU has, and twelve chains keep both multiply-add pipes busy, where four rows' eight only just covered
    /// their latency (the 4-row tile ran 7–12 % slower on weight-gradient shapes, benchmarks/README.md).
    /// </summary>
    public const int Rows = 6;

    /// <summary>
    /// C[0..rows, 0..columns] (row stride <paramref name="ldc"/>) = (overwrite ? 0 : C) + A·B over
    /// <paramref name="kc"/> steps, with A[r, s] at a + r·rowStride + s·columnStride for r &lt; rows and
    /// B as kc rows of 2 vectors, <paramref name="bStride"/> apart. Rows past <paramref name="rows"/> re-read the last row (their
    /// results are dropped), so a partial tile needs no copy of A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TMultiplyAdd>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, int columns, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int tileColumns = 2 * Vector256<T>.Count;
        if (columns == tileColumns)
        {
            RunStrip<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, 0, 1, c, ldc, rows, overwrite);
            return;
        }
        // A partial tile: computed into a full-width scratch tile, then only the valid columns go to C.
        T* tile = stackalloc T[Rows * 2 * Vector256<T>.Count];
        RunStrip<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, 0, 1, tile, tileColumns, rows, overwrite: true);
        PartialTile.WriteOut(tile, tileColumns, c, ldc, rows, columns, overwrite);
    }

    /// <summary>
    /// <paramref name="panels"/> full tiles side by side, B's panels <paramref name="panelStep"/> apart and C's tiles
    /// <c>2 · Vector256&lt;T&gt;.Count</c> columns apart: <see cref="Run{T, TMultiplyAdd}"/> for each, in one call, so that a row
    /// strip pays one call and one setup of its row offsets instead of one per panel (a k-block of 64 steps is a few hundred
    /// cycles a tile). The same chains, so the same sums. A strip of four rows or fewer computes only four: the six-row tile
    /// would multiply-add its last row three times more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunStrip<T, TMultiplyAdd>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, nint panelStep, int panels, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        if (rows > 4) Strip<T, TMultiplyAdd, Six>(kc, a, rowStride, columnStride, b, bStride, panelStep, panels, c, ldc, rows, overwrite);
        else Strip<T, TMultiplyAdd, Four>(kc, a, rowStride, columnStride, b, bStride, panelStep, panels, c, ldc, rows, overwrite);
    }

    /// <summary>
    /// Rows of the tile that starts <paramref name="remaining"/> rows before the end of a strip: <see cref="Rows"/>, except
    /// that the last seven or eight rows take two tiles of at most four (eight chains each, still enough for both
    /// multiply-add pipes) instead of a six-row tile and one of a row or two, which costs a whole tile (a 128-row weight
    /// gradient: 20 six-row tiles and two four-row ones, 3 % fewer multiply-adds than 22 six-row tiles). Where a row's
    /// tile starts changes none of its sums.
    /// </summary>
    public static int NextTileRows(int remaining) => remaining is 7 or 8 ? 4 : Math.Min(Rows, remaining);

    // The k-loop and the stores of full tiles (a strip of them), alone in a method with nothing after the loop but straight stores:
    // the JIT then keeps every accumulator in a register, whether or not it has a profile to go by. With the partial
    // tile's scratch path in the same method, code compiled without a profile (DOTNET_TieredCompilation=0, and every
    // method's first optimised compile) spilled the accumulators to the stack on every step (benchmarks/README.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Strip<T, TMultiplyAdd, TRows>(int kc, T* aStart, nint rowStride, nint columnStride, T* b, nint bStride, nint panelStep, int panels, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
        where TRows : struct, IConstantCount
    {
        int w = Vector256<T>.Count;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        nint o4 = Math.Min(4, last) * rowStride;
        nint o5 = Math.Min(5, last) * rowStride;
        for (int panel = 0; panel < panels; panel++, c += 2 * w)
        {
            T* a = aStart;
            T* bp = b + panel * panelStep;
            Vector256<T> c00 = default, c01 = default;
            Vector256<T> c10 = default, c11 = default;
            Vector256<T> c20 = default, c21 = default;
            Vector256<T> c30 = default, c31 = default;
            Vector256<T> c40 = default, c41 = default;
            Vector256<T> c50 = default, c51 = default;
            for (int s = 0; s < kc; s++)
            {
                var b0 = Vector256.Load(bp);
                var b1 = Vector256.Load(bp + w);
                var x = Vector256.Create(a[0]);
                c00 = TMultiplyAdd.Of(x, b0, c00);
                c01 = TMultiplyAdd.Of(x, b1, c01);
                x = Vector256.Create(a[o1]);
                c10 = TMultiplyAdd.Of(x, b0, c10);
                c11 = TMultiplyAdd.Of(x, b1, c11);
                x = Vector256.Create(a[o2]);
                c20 = TMultiplyAdd.Of(x, b0, c20);
                c21 = TMultiplyAdd.Of(x, b1, c21);
                x = Vector256.Create(a[o3]);
                c30 = TMultiplyAdd.Of(x, b0, c30);
                c31 = TMultiplyAdd.Of(x, b1, c31);
                if (TRows.Count > 4)
                {
                    x = Vector256.Create(a[o4]);
                    c40 = TMultiplyAdd.Of(x, b0, c40);
                    c41 = TMultiplyAdd.Of(x, b1, c41);
                    x = Vector256.Create(a[o5]);
                    c50 = TMultiplyAdd.Of(x, b0, c50);
                    c51 = TMultiplyAdd.Of(x, b1, c51);
                }
                a += columnStride;
                bp += bStride;
            }

            Store(c, c00, c01, w, overwrite);
            if (rows > 1) Store(c + 1 * ldc, c10, c11, w, overwrite);
            if (rows > 2) Store(c + 2 * ldc, c20, c21, w, overwrite);
            if (rows > 3) Store(c + 3 * ldc, c30, c31, w, overwrite);
            if (TRows.Count > 4 && rows > 4) Store(c + 4 * ldc, c40, c41, w, overwrite);
            if (TRows.Count > 5 && rows > 5) Store(c + 5 * ldc, c50, c51, w, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector256<T> low, Vector256<T> high, int w, bool overwrite) where T : unmanaged
    {
        if (!overwrite)
        {
            low += Vector256.Load(c);
            high += Vector256.Load(c + w);
        }
        Vector256.Store(low, c);
        Vector256.Store(high, c + w);
    }
}
