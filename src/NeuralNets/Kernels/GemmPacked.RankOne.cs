using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// A product over k = 1 (a weight gradient at batch 1: an outer product) row after row, without the register tiles.
/// </summary>
/// <remarks>
/// Each element is what a tile computes at k = 1: one multiply-add from zero, <c>s = a·b + 0</c> (fused or not, as the
/// numeric family says), then C = s, or C + s when accumulating. So the results are the tiles' bits, at every width.
/// Why: at k = 1 a tile's set-up, stores and partial-edge handling cost more than its one multiply-add per element
/// (benchmarks/README.md, fourteenth session).
/// </remarks>
internal static unsafe partial class GemmPacked
{
    [MethodImpl(HotPath.Options)]
    private static void RankOne<T, TMultiplyAdd>(in GemmProblem<T> p, T* target, int i0, int i1, int j0, int j1, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        // op(B)[0, j] is B[j] whether B is stored 1×n or n×1.
        T* b = p.B;
        int bits = p.VectorBits;
        for (int i = i0; i < i1; i++)
        {
            T a = p.A[i * p.RowStrideA];
            T* row = target + (nint)i * p.N;
            int j = j0;
            if (bits == 512) j = RankOneRow512<T, TMultiplyAdd>(a, b, row, j, j1, overwrite);
            else if (bits == 256) j = RankOneRow256<T, TMultiplyAdd>(a, b, row, j, j1, overwrite);
            else if (bits == 128) j = RankOneRow128<T, TMultiplyAdd>(a, b, row, j, j1, overwrite);
            for (; j < j1; j++)
            {
                T s = TMultiplyAdd.Of(a, b[j], T.Zero);
                row[j] = overwrite ? s : row[j] + s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RankOneRow512<T, TMultiplyAdd>(T a, T* b, T* row, int j, int end, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        var x = Vector512.Create(a);
        for (; j + Vector512<T>.Count <= end; j += Vector512<T>.Count)
        {
            var s = TMultiplyAdd.Of(x, Vector512.Load(b + j), Vector512<T>.Zero);
            if (!overwrite) s += Vector512.Load(row + j);
            Vector512.Store(s, row + j);
        }
        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RankOneRow256<T, TMultiplyAdd>(T a, T* b, T* row, int j, int end, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        var x = Vector256.Create(a);
        for (; j + Vector256<T>.Count <= end; j += Vector256<T>.Count)
        {
            var s = TMultiplyAdd.Of(x, Vector256.Load(b + j), Vector256<T>.Zero);
            if (!overwrite) s += Vector256.Load(row + j);
            Vector256.Store(s, row + j);
        }
        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RankOneRow128<T, TMultiplyAdd>(T a, T* b, T* row, int j, int end, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        var x = Vector128.Create(a);
        for (; j + Vector128<T>.Count <= end; j += Vector128<T>.Count)
        {
            var s = TMultiplyAdd.Of(x, Vector128.Load(b + j), Vector128<T>.Zero);
            if (!overwrite) s += Vector128.Load(row + j);
            Vector128.Store(s, row + j);
        }
        return j;
    }
}
