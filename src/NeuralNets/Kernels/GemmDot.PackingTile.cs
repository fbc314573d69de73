using System.Numerics;
using System.Runtime.CompilerServices;
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
    /// Fewest rows in a chunk for packing as it goes: with fewer, the packing tile's stores cost about what the packed
    /// tiles after it save, or more (benchmarks/README.md, "Ice Lake again").
    /// </summary>
    public const int PackingMinimumRows = 96;

    /// <summary>
    /// Each thread's group of B's rows: packed here (eight rows over whole 256-bit steps of k), or copied a line apart by the
    /// two-row tiles where B's rows crowd the cache's sets (<see cref="RunTwoRowTiles{T, TMultiplyAdd}"/>).
    /// </summary>
    private static class GroupScratch<T>
    {
        [ThreadStatic] public static ArraySegment<T> Group;
    }

    /// <summary>This thread's <see cref="GroupScratch{T}"/>, at least <paramref name="length"/> long: aligned, and pinned, so its address stays valid.</summary>
    [MethodImpl(HotPath.Options)]
    private static T* GroupBuffer<T>(int length) where T : unmanaged
    {
        ref var scratch = ref GroupScratch<T>.Group;
        if (scratch.Count < length) scratch = AlignedArrays.Allocate<T>(Math.Max(length, 1));
        fixed (T* group = scratch.AsSpan()) return group;
    }

    /// <summary>Rows <paramref name="i0"/> to <paramref name="i1"/> (at least <see cref="PackingMinimumRows"/>) of the whole groups of columns from
    /// <paramref name="j0"/> to <paramref name="jEnd"/>, over the whole of k, packing each group of B during its first tile.</summary>
    [MethodImpl(HotPath.Options)]
    private static void RunPackingBand<T, TMultiplyAdd>(in GemmProblem<T> p, T* rowsOfA, T* addend, nint addendStride, int i0, int i1, int j0, int jEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        T* group = GroupBuffer<T>(GroupLength<T>(p.K));
        nint k = p.K, n = p.N;
        for (int j = j0; j < jEnd; j += PackedGroupColumns)
        {
            Tile6x8Wide<T, TMultiplyAdd, On>(rowsOfA + i0 * k, p.B + j * k, group, k, p.K, p.C + i0 * n + j, n,
                Offset(addend, i0 * addendStride + j), addendStride);
            RunPackedGroups<T, TMultiplyAdd>(p, group, rowsOfA, addend, addendStride, i0 + 6, i1, j, j + PackedGroupColumns);
        }
    }
}
