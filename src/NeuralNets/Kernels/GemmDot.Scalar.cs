using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The row-dot product without vectors. Each element keeps the 256-bit path's eight float (four double)
/// lanes as scalar accumulators, each its own multiply-add chain over the same steps of k, then folds them in that
/// path's order and finishes with the same scalar tail: so C is bit-identical to every vector width's of the family.
/// </summary>
internal static unsafe partial class GemmDot
{
    private static void RunChunkScalar<T, TMultiplyAdd>(T* a, T* b, nint k, int length, T* c, nint n, T* addend, nint addendStride, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        for (int i = i0; i < i1; i++)
        {
            T* row = a + i * k, cRow = c + i * n, addRow = Offset(addend, i * addendStride);
            for (int j = j0; j < j1; j++)
            {
                T sum = typeof(T) == typeof(float) ? EightLanes<T, TMultiplyAdd>(row, b + j * k, length, out int p) : FourLanes<T, TMultiplyAdd>(row, b + j * k, length, out p);
                FinishSum<T, TMultiplyAdd>(row, b + j * k, p, length, sum, cRow + j, Offset(addRow, j));
            }
        }
    }

    /// <summary>A 256-bit float accumulator's lanes: lane l sums steps l, l + 8, …; folded as (e0 + e2) + (e1 + e3), e_l = lane l + lane l + 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T EightLanes<T, TMultiplyAdd>(T* a, T* b, int length, out int p) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        T l0 = T.Zero, l1 = T.Zero, l2 = T.Zero, l3 = T.Zero, l4 = T.Zero, l5 = T.Zero, l6 = T.Zero, l7 = T.Zero;
        for (p = 0; p + 8 <= length; p += 8)
        {
            l0 = TMultiplyAdd.Of(a[p], b[p], l0);
            l1 = TMultiplyAdd.Of(a[p + 1], b[p + 1], l1);
            l2 = TMultiplyAdd.Of(a[p + 2], b[p + 2], l2);
            l3 = TMultiplyAdd.Of(a[p + 3], b[p + 3], l3);
            l4 = TMultiplyAdd.Of(a[p + 4], b[p + 4], l4);
            l5 = TMultiplyAdd.Of(a[p + 5], b[p + 5], l5);
            l6 = TMultiplyAdd.Of(a[p + 6], b[p + 6], l6);
            l7 = TMultiplyAdd.Of(a[p + 7], b[p + 7], l7);
        }
        T e0 = l0 + l4, e1 = l1 + l5, e2 = l2 + l6, e3 = l3 + l7;
        return (e0 + e2) + (e1 + e3);
    }

    /// <summary>A 256-bit double accumulator's lanes, folded as (lane 0 + lane 2) + (lane 1 + lane 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T FourLanes<T, TMultiplyAdd>(T* a, T* b, int length, out int p) where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        T l0 = T.Zero, l1 = T.Zero, l2 = T.Zero, l3 = T.Zero;
        for (p = 0; p + 4 <= length; p += 4)
        {
            l0 = TMultiplyAdd.Of(a[p], b[p], l0);
            l1 = TMultiplyAdd.Of(a[p + 1], b[p + 1], l1);
            l2 = TMultiplyAdd.Of(a[p + 2], b[p + 2], l2);
            l3 = TMultiplyAdd.Of(a[p + 3], b[p + 3], l3);
        }
        return (l0 + l2) + (l1 + l3);
    }
}
