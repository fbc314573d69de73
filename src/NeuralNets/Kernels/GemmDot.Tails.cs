using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The tail of k for the two-row tiles of sixteen-register CPUs (AVX2), finished in registers: the reduced sums of a row's
/// columns stay in a vector, each lane one element's chain, and continue over the tail with the multiply-adds
/// <see cref="FinishSum{T, TMultiplyAdd}"/> does element by element (the same operations in the same order, so the same bits).
/// Through memory (the sums stored to a scratch row, read back one by one) each read of an element stored as part of a wider
/// vector waited for the store to reach the cache, and a tail of a few steps cost more than the vector loop before it
/// (a 100-input layer's forward product 2.2 times as long as a 104-input one's, benchmarks/README.md, "Tails of k").
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>
    /// One row's four columns: the sums of <paramref name="s0"/> to <paramref name="s3"/> (<see cref="Reduce4(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>),
    /// continued over steps <paramref name="p"/> to <paramref name="length"/> of the row <paramref name="a"/> and the four rows
    /// of B from <paramref name="b"/> (<paramref name="k"/> apart), plus their addends where given, stored at <paramref name="c"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4WithTail<T, TMultiplyAdd>(Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, T* a, T* b, nint k,
        int p, int length, T* c, T* add) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        if (typeof(T) == typeof(float))
        {
            var r = Reduce4(s0.AsSingle(), s1.AsSingle(), s2.AsSingle(), s3.AsSingle());
            float* x = (float*)a, y = (float*)b;
            for (; p < length; p++)
                r = TMultiplyAdd.Of(Vector128.Create(x[p]), Vector128.Create(y[p], y[k + p], y[2 * k + p], y[3 * k + p]), r);
            if (add != null) r = Vector128.Load((float*)add) + r;
            r.Store((float*)c);
            return;
        }
        var (r01, r23) = Reduce4(s0.AsDouble(), s1.AsDouble(), s2.AsDouble(), s3.AsDouble());
        double* xd = (double*)a, yd = (double*)b;
        for (; p < length; p++)
        {
            var xv = Vector128.Create(xd[p]);
            r01 = TMultiplyAdd.Of(xv, Vector128.Create(yd[p], yd[k + p]), r01);
            r23 = TMultiplyAdd.Of(xv, Vector128.Create(yd[2 * k + p], yd[3 * k + p]), r23);
        }
        if (add != null)
        {
            r01 = Vector128.Load((double*)add) + r01;
            r23 = Vector128.Load((double*)add + 2) + r23;
        }
        r01.Store((double*)c);
        r23.Store((double*)c + 2);
    }

    /// <summary>
    /// Two rows by two columns (the last two of a six-column tile): the sums of row 0's <paramref name="s00"/>,
    /// <paramref name="s01"/> and row 1's <paramref name="s10"/>, <paramref name="s11"/>, continued over the tail as
    /// <see cref="Store4WithTail{T, TMultiplyAdd}"/> does (A's rows <paramref name="aStride"/> apart, B's <paramref name="bStride"/>),
    /// plus their addends where given, stored at <paramref name="c"/> (row 1 at <paramref name="ldc"/>, its addends at <paramref name="addStride"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2x2WithTail<T, TMultiplyAdd>(Vector256<T> s00, Vector256<T> s01, Vector256<T> s10, Vector256<T> s11, T* a, nint aStride,
        T* b, nint bStride, int p, int length, T* c, nint ldc, T* add, nint addStride) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        if (typeof(T) == typeof(float))
        {
            // Lanes: row 0 column 0, row 0 column 1, row 1 column 0, row 1 column 1.
            var r = Reduce4(s00.AsSingle(), s01.AsSingle(), s10.AsSingle(), s11.AsSingle());
            float* x0 = (float*)a, x1 = x0 + aStride, y0 = (float*)b, y1 = y0 + bStride;
            for (; p < length; p++)
                r = TMultiplyAdd.Of(Vector128.Create(x0[p], x0[p], x1[p], x1[p]), Vector128.Create(y0[p], y1[p], y0[p], y1[p]), r);
            float* target = (float*)c;
            if (add != null)
            {
                float* addend = (float*)add;
                r = Vector128.Create(addend[0], addend[1], addend[addStride], addend[addStride + 1]) + r;
            }
            Sse2.StoreLow((double*)target, r.AsDouble());
            Sse2.StoreHigh((double*)(target + ldc), r.AsDouble());
            return;
        }
        var (r0, r1) = Reduce4(s00.AsDouble(), s01.AsDouble(), s10.AsDouble(), s11.AsDouble());
        double* xd0 = (double*)a, xd1 = xd0 + aStride, yd0 = (double*)b, yd1 = yd0 + bStride;
        for (; p < length; p++)
        {
            var y = Vector128.Create(yd0[p], yd1[p]);
            r0 = TMultiplyAdd.Of(Vector128.Create(xd0[p]), y, r0);
            r1 = TMultiplyAdd.Of(Vector128.Create(xd1[p]), y, r1);
        }
        if (add != null)
        {
            r0 = Vector128.Load((double*)add) + r0;
            r1 = Vector128.Load((double*)add + addStride) + r1;
        }
        r0.Store((double*)c);
        r1.Store((double*)c + ldc);
    }
}
