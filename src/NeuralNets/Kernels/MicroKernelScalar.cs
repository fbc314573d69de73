using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The register tile without vectors (x86 with intrinsics turned off, or a test's narrowed width): 4×4 scalar
/// accumulators, each one chain of the family's multiply-adds over the k-block from zero, added to C (or
/// overwriting it) at the end: exactly what every lane of the vector tiles of the same family computes, so C is
/// the same bit for bit.
/// </summary>
internal static unsafe class MicroKernelScalar
{
    /// <summary>Rows of the tile (MR).</summary>
    public const int Rows = 4;

    /// <summary>Columns of the tile (NR).</summary>
    public const int Columns = 4;

    /// <summary>Same contract as <see cref="MicroKernel128.Run{T, TMultiplyAdd}"/>, with B as kc rows of <see cref="Columns"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TMultiplyAdd>(int kc, T* a, nint rowStride, nint columnStride, T* b, nint bStride, T* c, nint ldc, int rows, int columns, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        int last = rows - 1;
        nint o1 = Math.Min(1, last) * rowStride;
        nint o2 = Math.Min(2, last) * rowStride;
        nint o3 = Math.Min(3, last) * rowStride;
        for (int s = 0; s < kc; s++)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T x = a[0];
            c00 = TMultiplyAdd.Of(x, b0, c00); c01 = TMultiplyAdd.Of(x, b1, c01);
            c02 = TMultiplyAdd.Of(x, b2, c02); c03 = TMultiplyAdd.Of(x, b3, c03);
            x = a[o1];
            c10 = TMultiplyAdd.Of(x, b0, c10); c11 = TMultiplyAdd.Of(x, b1, c11);
            c12 = TMultiplyAdd.Of(x, b2, c12); c13 = TMultiplyAdd.Of(x, b3, c13);
            x = a[o2];
            c20 = TMultiplyAdd.Of(x, b0, c20); c21 = TMultiplyAdd.Of(x, b1, c21);
            c22 = TMultiplyAdd.Of(x, b2, c22); c23 = TMultiplyAdd.Of(x, b3, c23);
            x = a[o3];
            c30 = TMultiplyAdd.Of(x, b0, c30); c31 = TMultiplyAdd.Of(x, b1, c31);
            c32 = TMultiplyAdd.Of(x, b2, c32); c33 = TMultiplyAdd.Of(x, b3, c33);
            a += columnStride;
            b += bStride;
        }
        Store(c, columns, overwrite, c00, c01, c02, c03);
        if (rows > 1) Store(c + ldc, columns, overwrite, c10, c11, c12, c13);
        if (rows > 2) Store(c + 2 * ldc, columns, overwrite, c20, c21, c22, c23);
        if (rows > 3) Store(c + 3 * ldc, columns, overwrite, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, int columns, bool overwrite, T v0, T v1, T v2, T v3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (overwrite)
        {
            c[0] = v0;
            if (columns > 1) c[1] = v1;
            if (columns > 2) c[2] = v2;
            if (columns > 3) c[3] = v3;
            return;
        }
        c[0] += v0;
        if (columns > 1) c[1] += v1;
        if (columns > 2) c[2] += v2;
        if (columns > 3) c[3] += v3;
    }
}
