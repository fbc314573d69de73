using System.Runtime.CompilerServices;
using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>The write-out of a register tile computed into scratch because only part of its width lies inside C.</summary>
internal static unsafe class PartialTile
{
    /// <summary>
    /// Writes the first <paramref name="columns"/> of each of <paramref name="rows"/> rows of <paramref name="tile"/>
    /// (rows <paramref name="tileStride"/> apart) into C: over it, or added to it.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void WriteOut<T>(T* tile, nint tileStride, T* c, nint ldc, int rows, int columns, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            T* source = tile + r * tileStride, target = c + r * ldc;
            if (overwrite) new ReadOnlySpan<T>(source, columns).CopyTo(new Span<T>(target, columns));
            else for (int j = 0; j < columns; j++) target[j] += source[j];
        }
    }
}
