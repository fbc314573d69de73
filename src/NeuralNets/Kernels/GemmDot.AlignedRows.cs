using System.Numerics;
using NeuralNets.Tensors;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The row-dot product's aligned copy of a caller's A: .NET aligns an array's elements to 8 bytes only, and where a row
/// of A starts off a 32-byte boundary half the tiles' 256-bit reads of it straddle two cache lines (6–9 % of a batch-64
/// prediction, benchmarks/README.md, "twelfth session"). Each core copies the band of rows it computes, once.
/// </summary>
internal static unsafe partial class GemmDot
{
    /// <summary>Largest band of A (bytes) copied onto a 32-byte boundary by <see cref="AlignedRows{T}"/>; a larger one is read where it lies.</summary>
    private const int MaxAlignedRowsBytes = 256 * 1024;

    /// <summary>Each thread's copy of the band it is computing, when the caller's A starts off a 32-byte boundary.</summary>
    private static class RowScratch<T>
    {
        [ThreadStatic] public static ArraySegment<T> Rows;
    }

    /// <summary>
    /// Whether a band of rows of A should be read from an aligned copy, by the packed and the unpacked 256- and 512-bit tiles:
    /// A off a 32-byte boundary (a caller's own array), so that half the tiles' 256-bit reads of it straddle two cache lines.
    /// A band of whole rows only (a prediction split by samples), which each core copies once, while it is in its cache;
    /// column chunks would copy the same rows once per chunk.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static bool ReadsAlignedCopy<T>(in GemmProblem<T> p, int i0, int i1) where T : unmanaged, IFloatingPointIeee754<T> =>
        ((nint)p.A & 31) != 0 && p.ChunksN == 1 && p.KPieces == 1 && i1 - i0 >= 2 && (long)(i1 - i0) * p.K * sizeof(T) <= MaxAlignedRowsBytes;

    /// <summary>
    /// Rows <paramref name="i0"/> to <paramref name="i1"/> of A (rows of <paramref name="k"/>) copied into this thread's aligned
    /// scratch; returns where row 0 would be, so that row i is at the result + i·k as in A.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static T* AlignedRows<T>(T* a, int i0, int i1, int k) where T : unmanaged
    {
        int length = (i1 - i0) * k;
        if (RowScratch<T>.Rows.Count < length) RowScratch<T>.Rows = AlignedArrays.Allocate<T>(length);
        // AlignedArrays allocates on the pinned heap, so the address stays valid after the fixed block.
        fixed (T* scratch = RowScratch<T>.Rows.AsSpan())
        {
            new ReadOnlySpan<T>(a + (nint)i0 * k, length).CopyTo(new Span<T>(scratch, length));
            return scratch - (nint)i0 * k;
        }
    }
}
