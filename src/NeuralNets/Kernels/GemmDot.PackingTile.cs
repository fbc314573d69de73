using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// The row-dot product packing B as it goes (a training step's weight, which changes every step, so cannot be packed ahead
/// like a frozen network's): for each group of eight columns of C, the first six-row tile reads B's rows as the unpacked
/// tiles do and also stores each 256-bit block it loads in the packed order (that of <see cref="Pack{T}"/>), into the thread's
/// scratch; every other row tile of the group then reads the packed group. Packing is thus a few stores among the first
/// tile's multiply-adds rather than a pass of its own (a separate pass over each chunk's B cost more than it saved at
/// batch 64). The packed and unpacked tiles give the same bits, so C is what the unpacked product gives.
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>
    /// Fewest rows in a chunk for packing as it goes. A 784→128 layer's forward product, 21 rounds in one process against
    /// the unpacked tiles (Ice Lake, two threads): 32 rows 1.11 of the time, 64 rows 0.98–1.06, 96 rows 0.95, 128 rows
    /// 0.88–0.94, 256 rows 0.90–0.92 (benchmarks/README.md, sixteenth session).
    /// </summary>
    public const int PackingMinimumRows = 96;

    /// <summary>Each thread's packed group (eight rows of B over whole 256-bit steps of k).</summary>
    private static class GroupScratch<T>
    {
        [ThreadStatic] public static ArraySegment<T> Group;
    }

    /// <summary>Rows <paramref name="i0"/> to <paramref name="i1"/> (at least <see cref="PackingMinimumRows"/>) of the whole groups of columns from
    /// <paramref name="j0"/> to <paramref name="jEnd"/>, over the whole of k, packing each group of B during its first tile.</summary>
    [MethodImpl(HotPath.Options)]
    private static void RunPackingBand<T, TMultiplyAdd>(in GemmProblem<T> p, T* rowsOfA, T* addend, nint addendStride, int i0, int i1, int j0, int jEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int groupLength = GroupLength<T>(p.K);
        ref var scratch = ref GroupScratch<T>.Group;
        if (scratch.Count < groupLength) scratch = AlignedArrays.Allocate<T>(Math.Max(groupLength, 1));
        nint k = p.K, n = p.N;
        fixed (T* group = &scratch.Array![scratch.Offset])
        {
            for (int j = j0; j < jEnd; j += PackedGroupColumns)
            {
                Tile6x8WidePacking<T, TMultiplyAdd>(rowsOfA + i0 * k, p.B + j * k, group, k, p.K, p.C + i0 * n + j, n,
                    Offset(addend, i0 * addendStride + j), addendStride);
                RunPackedGroups<T, TMultiplyAdd>(p, group, rowsOfA, addend, addendStride, i0 + 6, i1, j, j + PackedGroupColumns);
            }
        }
    }

    /// <summary>
    /// <see cref="Tile6x8Wide{T, TMultiplyAdd}"/>, storing each B block it loads at its place in <paramref name="packed"/>: the same
    /// lanes, chains, reductions and stores into C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x8WidePacking<T, TMultiplyAdd>(T* a, T* b, T* packed, nint k, int length, T* c, nint ldc, T* add, nint addStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int w = Vector256<T>.Count, p = 0;
        T* a4 = a + 4 * k;
        Vector512<T> s010 = default, s011 = default, s012 = default, s013 = default, s014 = default, s015 = default, s016 = default, s017 = default;
        Vector512<T> s230 = default, s231 = default, s232 = default, s233 = default, s234 = default, s235 = default, s236 = default, s237 = default;
        Vector512<T> s450 = default, s451 = default, s452 = default, s453 = default, s454 = default, s455 = default, s456 = default, s457 = default;
        nint row = k * sizeof(T), row3 = 3 * row;
        byte* pa = (byte*)a, pa4 = (byte*)a4, pb = (byte*)b, pb4 = (byte*)(b + 4 * k), pk = (byte*)packed;
        for (; p + w <= length; p += w, pa += 32, pa4 += 32, pb += 32, pb4 += 32, pk += 256)
        {
            var x01 = Pair<T>(pa, pa + row);
            var x23 = Pair<T>(pa + 2 * row, pa + row3);
            var x45 = Pair<T>(pa4, pa4 + row);
            var y = Twice<T>(pb);
            y.GetLower().Store((T*)pk);
            s010 = TMultiplyAdd.Of(x01, y, s010); s230 = TMultiplyAdd.Of(x23, y, s230); s450 = TMultiplyAdd.Of(x45, y, s450);
            y = Twice<T>(pb + row);
            y.GetLower().Store((T*)(pk + 32));
            s011 = TMultiplyAdd.Of(x01, y, s011); s231 = TMultiplyAdd.Of(x23, y, s231); s451 = TMultiplyAdd.Of(x45, y, s451);
            y = Twice<T>(pb + 2 * row);
            y.GetLower().Store((T*)(pk + 64));
            s012 = TMultiplyAdd.Of(x01, y, s012); s232 = TMultiplyAdd.Of(x23, y, s232); s452 = TMultiplyAdd.Of(x45, y, s452);
            y = Twice<T>(pb + row3);
            y.GetLower().Store((T*)(pk + 96));
            s013 = TMultiplyAdd.Of(x01, y, s013); s233 = TMultiplyAdd.Of(x23, y, s233); s453 = TMultiplyAdd.Of(x45, y, s453);
            y = Twice<T>(pb4);
            y.GetLower().Store((T*)(pk + 128));
            s014 = TMultiplyAdd.Of(x01, y, s014); s234 = TMultiplyAdd.Of(x23, y, s234); s454 = TMultiplyAdd.Of(x45, y, s454);
            y = Twice<T>(pb4 + row);
            y.GetLower().Store((T*)(pk + 160));
            s015 = TMultiplyAdd.Of(x01, y, s015); s235 = TMultiplyAdd.Of(x23, y, s235); s455 = TMultiplyAdd.Of(x45, y, s455);
            y = Twice<T>(pb4 + 2 * row);
            y.GetLower().Store((T*)(pk + 192));
            s016 = TMultiplyAdd.Of(x01, y, s016); s236 = TMultiplyAdd.Of(x23, y, s236); s456 = TMultiplyAdd.Of(x45, y, s456);
            y = Twice<T>(pb4 + row3);
            y.GetLower().Store((T*)(pk + 224));
            s017 = TMultiplyAdd.Of(x01, y, s017); s237 = TMultiplyAdd.Of(x23, y, s237); s457 = TMultiplyAdd.Of(x45, y, s457);
        }
        bool tail = p < length;
        T* sums = stackalloc T[6 * 8];
        T* target = tail ? sums : c, addend = tail ? null : add;
        nint stride = tail ? 8 : ldc, addendStride = tail ? 0 : addStride;
        StorePairRows(s010, s011, s012, s013, s014, s015, s016, s017, target, stride, addend, addendStride);
        StorePairRows(s230, s231, s232, s233, s234, s235, s236, s237, target + 2 * stride, stride, Offset(addend, 2 * addendStride), addendStride);
        StorePairRows(s450, s451, s452, s453, s454, s455, s456, s457, target + 4 * stride, stride, Offset(addend, 4 * addendStride), addendStride);
        if (tail) CompleteTails<T, TMultiplyAdd>(a, b, k, p, length, sums, 6, 8, c, ldc, add, addStride);
    }
}
