using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Copies of short rows (a few dozen elements) with vector moves: a span copy costs more than such a row, and the kernels
/// that pack or spread their operands copy thousands of them a pass (benchmarks/README.md, fourteenth session).
/// </summary>
internal static unsafe class ShortRows
{
    /// <summary>Copies <paramref name="count"/> elements, whole vectors where they fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(T* source, T* target, int count) where T : unmanaged
    {
        int e = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; e + Vector512<T>.Count <= count; e += Vector512<T>.Count) Vector512.Store(Vector512.Load(source + e), target + e);
        if (Vector128.IsHardwareAccelerated)
            for (; e + Vector128<T>.Count <= count; e += Vector128<T>.Count) Vector128.Store(Vector128.Load(source + e), target + e);
        for (; e < count; e++) target[e] = source[e];
    }
}
