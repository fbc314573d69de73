using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The product <c>A·Bᵀ</c> with A (m×k) and B (n×k) both row-major, a dense layer's forward pass,
/// as dot products of rows: both operands are read in place along k (nothing to transpose or pack).
/// Each element is one chain of vector FMAs over its k-range, then a fixed horizontal sum, then a
/// scalar FMA tail, whatever tile it falls in; so a row of C does not depend on how many other
/// rows the product has (a sample predicted alone equals its row of the batch), nor on threads.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Rows of A per tile: four where 32 vector registers hold the 16 accumulators, else two.</summary>
    private static int TileRows => Vector512.IsHardwareAccelerated ? 4 : 2;

    /// <summary>Computes one chunk of the problem (a block of C, over one piece of k).</summary>
    public static void RunChunk<T>(in GemmProblem<T> p, int unit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunk = unit % (p.ChunksM * p.ChunksN), piece = unit / (p.ChunksM * p.ChunksN);
        int i0 = chunk % p.ChunksM * p.ChunkRows, i1 = Math.Min(p.M, i0 + p.ChunkRows);
        int j0 = chunk / p.ChunksM * p.ChunkColumns, j1 = Math.Min(p.N, j0 + p.ChunkColumns);
        int kStart = piece * p.KPiece, length = Math.Min(p.K, kStart + p.KPiece) - kStart;
        T* c = p.KPieces == 1 ? p.C : p.Partials + (nint)piece * p.M * p.N;
        bool add = p.KPieces == 1 && p.Accumulate;
        T* a = p.A + kStart, b = p.B + kStart;
        nint k = p.K, n = p.N;
        int tileRows = TileRows;

        int i = i0;
        for (; i + tileRows <= i1; i += tileRows)
        {
            int j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                if (tileRows == 4) Tile4x4(a + i * k, b + j * k, k, length, c + i * n + j, n, add);
                else
                {
                    Tile1x4(a + i * k, b + j * k, k, length, c + i * n + j, add);
                    Tile1x4(a + (i + 1) * k, b + j * k, k, length, c + (i + 1) * n + j, add);
                }
            }
            for (; j < j1; j++)
                for (int r = i; r < i + tileRows; r++) Single(a + r * k, b + j * k, length, c + r * n + j, add);
        }
        for (; i < i1; i++)
        {
            int j = j0;
            for (; j + 4 <= j1; j += 4) Tile1x4(a + i * k, b + j * k, k, length, c + i * n + j, add);
            for (; j < j1; j++) Single(a + i * k, b + j * k, length, c + i * n + j, add);
        }
    }

    // Every variant below does, per element: v = Σ over whole vectors (one FMA chain), s = Sum(v),
    // then s = fma(a, b, s) over the tail, then C = s or C + s. Keep them identical.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4<T>(T* a, T* b, nint k, int length, T* c, nint ldc, bool add) where T : unmanaged, IFloatingPointIeee754<T>
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
            s00 = Fma(x, y0, s00); s01 = Fma(x, y1, s01); s02 = Fma(x, y2, s02); s03 = Fma(x, y3, s03);
            x = Vector256.Load(a1 + p);
            s10 = Fma(x, y0, s10); s11 = Fma(x, y1, s11); s12 = Fma(x, y2, s12); s13 = Fma(x, y3, s13);
            x = Vector256.Load(a2 + p);
            s20 = Fma(x, y0, s20); s21 = Fma(x, y1, s21); s22 = Fma(x, y2, s22); s23 = Fma(x, y3, s23);
            x = Vector256.Load(a3 + p);
            s30 = Fma(x, y0, s30); s31 = Fma(x, y1, s31); s32 = Fma(x, y2, s32); s33 = Fma(x, y3, s33);
        }
        Finish(a, b, p, length, s00, c, add); Finish(a, b1, p, length, s01, c + 1, add);
        Finish(a, b2, p, length, s02, c + 2, add); Finish(a, b3, p, length, s03, c + 3, add);
        c += ldc;
        Finish(a1, b, p, length, s10, c, add); Finish(a1, b1, p, length, s11, c + 1, add);
        Finish(a1, b2, p, length, s12, c + 2, add); Finish(a1, b3, p, length, s13, c + 3, add);
        c += ldc;
        Finish(a2, b, p, length, s20, c, add); Finish(a2, b1, p, length, s21, c + 1, add);
        Finish(a2, b2, p, length, s22, c + 2, add); Finish(a2, b3, p, length, s23, c + 3, add);
        c += ldc;
        Finish(a3, b, p, length, s30, c, add); Finish(a3, b1, p, length, s31, c + 1, add);
        Finish(a3, b2, p, length, s32, c + 2, add); Finish(a3, b3, p, length, s33, c + 3, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x4<T>(T* a, T* b, nint k, int length, T* c, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, p = 0;
        T* b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; p + w <= length; p += w)
        {
            var x = Vector256.Load(a + p);
            s0 = Fma(x, Vector256.Load(b + p), s0);
            s1 = Fma(x, Vector256.Load(b1 + p), s1);
            s2 = Fma(x, Vector256.Load(b2 + p), s2);
            s3 = Fma(x, Vector256.Load(b3 + p), s3);
        }
        Finish(a, b, p, length, s0, c, add);
        Finish(a, b1, p, length, s1, c + 1, add);
        Finish(a, b2, p, length, s2, c + 2, add);
        Finish(a, b3, p, length, s3, c + 3, add);
    }

    private static void Single<T>(T* a, T* b, int length, T* c, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, p = 0;
        Vector256<T> s = default;
        for (; p + w <= length; p += w) s = Fma(Vector256.Load(a + p), Vector256.Load(b + p), s);
        Finish(a, b, p, length, s, c, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T>(T* a, T* b, int p, int length, Vector256<T> partial, T* c, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = Vector256.Sum(partial);
        for (; p < length; p++) sum = T.FusedMultiplyAdd(a[p], b[p], sum);
        *c = add ? *c + sum : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> accumulator)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), accumulator.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), accumulator.AsDouble()).As<double, T>();
    }
}
