using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The 8×(2 vectors) or 4×(2 vectors) register tile (<see cref="Rows"/>) on <see cref="Vector128{T}"/>, for CPUs whose widest vectors are
/// 128 bits (ARM64's NEON; WebAssembly and SSE-only x86 in the unfused family): the same steps as
/// <see cref="MicroKernel256"/>, half as wide. Each element of C is one chain of the family's
/// multiply-adds over the k-block whatever the vector width, so this tile gives the wider kernels'
/// results bit for bit.
/// </summary>
internal static unsafe class MicroKernel128
{
    /// <summary>
    /// Rows of the tile (MR): eight where the CPU has 32 vector registers (ARM64; x86 with AVX-512, where tests run this
    /// width), whose sixteen accumulators keep a multiply-add unit of two to four pipes busy; four where it has sixteen
    /// (SSE-only x86), which eight rows would overflow.
    /// </summary>
    public static int Rows => ThirtyTwoRegisters ? 8 : 4;

    /// <summary>Whether the CPU has 32 vector registers: a compile-time constant to the JIT, so the choice costs nothing in the kernels' callers.</summary>
    internal static bool ThirtyTwoRegisters => AdvSimd.Arm64.IsSupported || Avx512F.IsSupported;

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
        int tileColumns = 2 * Vector128<T>.Count;
        if (columns == tileColumns)
        {
            if (ThirtyTwoRegisters) TileEight<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, c, ldc, rows, overwrite);
            else Tile<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, c, ldc, rows, overwrite);
            return;
        }
        // A partial tile: computed into a full-width scratch tile, then only the valid columns go to C.
        T* tile = stackalloc T[8 * 2 * Vector128<T>.Count];
        if (ThirtyTwoRegisters) TileEight<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, tile, tileColumns, rows, overwrite: true);
        else Tile<T, TMultiplyAdd>(kc, a, rowStride, columnStride, b, bStride, tile, tileColumns, rows, overwrite: true);
        PartialTile.WriteOut(tile, tileColumns, c, ldc, rows, columns, overwrite);
    }

    // The k-loop and the stores of a full tile, alone in a method with nothing after the loop but straight stores:
    // the JIT then keeps every accumulator in a register, whether or not it has a profile to go by. With the partial
    // tile's scratch path in the same method, code compiled without a profile (DOTNET_TieredCompilation=0, and every
    // method's first optimised compile) spilled the accumulators to the stack on every step (benchmarks/README.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile<T, TMultiplyAdd>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default, c01 = default;
        Vector128<T> c10 = default, c11 = default;
        Vector128<T> c20 = default, c21 = default;
        Vector128<T> c30 = default, c31 = default;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        for (int s = 0; s < kc; s++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + w);
            var x0 = Vector128.Create(a[0]);
            c00 = TMultiplyAdd.Of(x0, b0, c00);
            c01 = TMultiplyAdd.Of(x0, b1, c01);
            var x1 = Vector128.Create(a[o1]);
            c10 = TMultiplyAdd.Of(x1, b0, c10);
            c11 = TMultiplyAdd.Of(x1, b1, c11);
            var x2 = Vector128.Create(a[o2]);
            c20 = TMultiplyAdd.Of(x2, b0, c20);
            c21 = TMultiplyAdd.Of(x2, b1, c21);
            var x3 = Vector128.Create(a[o3]);
            c30 = TMultiplyAdd.Of(x3, b0, c30);
            c31 = TMultiplyAdd.Of(x3, b1, c31);
            a += columnStride;
            b += bStride;
        }

        Store(c, c00, c01, w, overwrite);
        if (rows > 1) Store(c + 1 * ldc, c10, c11, w, overwrite);
        if (rows > 2) Store(c + 2 * ldc, c20, c21, w, overwrite);
        if (rows > 3) Store(c + 3 * ldc, c30, c31, w, overwrite);
    }

    /// <summary>The eight-row tile: <see cref="Tile{T, TMultiplyAdd}"/> with four more rows, the same chain for every element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void TileEight<T, TMultiplyAdd>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector128<T> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector128<T> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector128<T> c60 = default, c61 = default, c70 = default, c71 = default;
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
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + w);
            var x = Vector128.Create(a[0]);
            c00 = TMultiplyAdd.Of(x, b0, c00);
            c01 = TMultiplyAdd.Of(x, b1, c01);
            x = Vector128.Create(a[o1]);
            c10 = TMultiplyAdd.Of(x, b0, c10);
            c11 = TMultiplyAdd.Of(x, b1, c11);
            x = Vector128.Create(a[o2]);
            c20 = TMultiplyAdd.Of(x, b0, c20);
            c21 = TMultiplyAdd.Of(x, b1, c21);
            x = Vector128.Create(a[o3]);
            c30 = TMultiplyAdd.Of(x, b0, c30);
            c31 = TMultiplyAdd.Of(x, b1, c31);
            x = Vector128.Create(a[o4]);
            c40 = TMultiplyAdd.Of(x, b0, c40);
            c41 = TMultiplyAdd.Of(x, b1, c41);
            x = Vector128.Create(a[o5]);
            c50 = TMultiplyAdd.Of(x, b0, c50);
            c51 = TMultiplyAdd.Of(x, b1, c51);
            x = Vector128.Create(a[o6]);
            c60 = TMultiplyAdd.Of(x, b0, c60);
            c61 = TMultiplyAdd.Of(x, b1, c61);
            x = Vector128.Create(a[o7]);
            c70 = TMultiplyAdd.Of(x, b0, c70);
            c71 = TMultiplyAdd.Of(x, b1, c71);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector128<T> low, Vector128<T> high, int w, bool overwrite) where T : unmanaged
    {
        if (!overwrite)
        {
            low += Vector128.Load(c);
            high += Vector128.Load(c + w);
        }
        Vector128.Store(low, c);
        Vector128.Store(high, c + w);
    }
}
