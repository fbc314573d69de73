using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNets.Tensors;

/// <summary>
/// Arrays whose elements start on a cache line: pinned (so that the garbage collector never moves them off it), with
/// a few spare elements in front. The kernels' vector loads then never straddle two cache lines: on Intel cores a
/// 64-byte load that does costs two loads' worth, and the product kernels read every weight and activation that way
/// (benchmarks/README.md, "Sapphire Rapids").
/// </summary>
internal static class AlignedArrays
{
    /// <summary>The alignment of the first element, in bytes: one cache line, one 512-bit vector.</summary>
    public const int Alignment = 64;

    /// <summary>
    /// <paramref name="length"/> zeroed elements starting on a 64-byte boundary; an element type that holds references
    /// or whose size does not divide 64 gets a plain array (no kernel reads those as vectors), and so does a length within
    /// a cache line of <see cref="Array.MaxLength"/>.
    /// </summary>
    public static unsafe ArraySegment<T> Allocate<T>(int length)
    {
        ArgumentRange.ThrowIfNegative(length);
        int size = Unsafe.SizeOf<T>();
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Alignment % size != 0) return new T[length];
        int spare = Alignment / size - 1;
        // An array within a few elements of the largest one .NET allows has no room for the spare ones: it starts where it may.
        if (length > Array.MaxLength - spare) return GC.AllocateArray<T>(length, pinned: true);
        var array = GC.AllocateArray<T>(length + spare, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int offset = (int)(Up(address) - address) / size;
        return new ArraySegment<T>(array, offset, length);
    }

    /// <summary>The first address at or after <paramref name="address"/> on a 64-byte boundary.</summary>
    public static nint Up(nint address) => (address + Alignment - 1) & ~(nint)(Alignment - 1);
}
