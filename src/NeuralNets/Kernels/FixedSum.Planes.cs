using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>The fixed-order sum of planes lying apart, as if laid end to end: a convolution's bias gradient straight from dY.</summary>
internal static partial class FixedSum
{
    /// <summary>
    /// Whether <see cref="SumOfPlanes"/> sums planes of <paramref name="planeLength"/> floats with vectors here: every
    /// plane then starts on a whole 8-lane group of the 32 lanes (a 28×28 plane does, a 26×26 one does not).
    /// </summary>
    public static bool SumsPlanesWithVectors(int planeLength) => Vector256.IsHardwareAccelerated && planeLength % 8 == 0;

    /// <summary>
    /// Σ of <paramref name="planes"/> planes of <paramref name="planeLength"/> floats, the n-th starting at
    /// <c>n·<paramref name="planeStride"/></c>: exactly <see cref="Sum{T}"/> of the planes copied end to end (the same lanes,
    /// the same fold, the same tail), without the copy.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static float SumOfPlanes(ReadOnlySpan<float> source, int planeLength, int planeStride, int planes)
    {
        if (planeLength < 0 || planes < 0 || planeStride < planeLength || (planes > 0 && source.Length < (long)(planes - 1) * planeStride + planeLength))
            throw new ArgumentException("Fixed sum of planes given a source too short for its planes.");
        long total = (long)planeLength * planes;
        long blocks = total / Lanes * Lanes;
        float sum = blocks == 0 ? 0f : SumsPlanesWithVectors(planeLength) ? PlaneBlocks256(source, planeLength, planeStride, blocks) : PlaneBlocksScalar(source, planeLength, planeStride, blocks);
        // The elements after the last whole block, one by one.
        for (long g = blocks; g < total; g++) sum += source[(int)(g / planeLength * planeStride + g % planeLength)];
        return sum;
    }

    // Lane l sums the elements l, l + 32, … of the planes laid end to end; each plane starts on a group of eight lanes, so
    // its vectors go whole to the accumulators, turned by the plane's start.
    [MethodImpl(HotPath.Options)]
    private static float PlaneBlocks256(ReadOnlySpan<float> source, int planeLength, int planeStride, long blocks)
    {
        ref float start = ref MemoryMarshal.GetReference(source);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        long g = 0;
        for (int n = 0; g < blocks; n++)
        {
            // The plane's first element falls on lane g mod 32: accumulator (g mod 32) / 8 takes its first vector.
            int turn = (int)(g % Lanes) / 8;
            Turn(ref a0, ref a1, ref a2, ref a3, turn);
            ref float plane = ref Unsafe.Add(ref start, (nint)n * planeStride);
            int length = (int)Math.Min(planeLength, blocks - g), q = 0;
            for (; q + Lanes <= length; q += Lanes)
            {
                a0 += Vector256.LoadUnsafe(ref plane, (nuint)q);
                a1 += Vector256.LoadUnsafe(ref plane, (nuint)(q + 8));
                a2 += Vector256.LoadUnsafe(ref plane, (nuint)(q + 16));
                a3 += Vector256.LoadUnsafe(ref plane, (nuint)(q + 24));
            }
            // The plane's last vectors (fewer than four), on the accumulators that come next.
            if (q < length) a0 += Vector256.LoadUnsafe(ref plane, (nuint)q);
            if (q + 8 < length) a1 += Vector256.LoadUnsafe(ref plane, (nuint)(q + 8));
            if (q + 16 < length) a2 += Vector256.LoadUnsafe(ref plane, (nuint)(q + 16));
            Turn(ref a0, ref a1, ref a2, ref a3, (4 - turn) % 4);
            g += length;
        }
        // As Blocks256 folds four float vectors.
        a0 += a2;
        a1 += a3;
        return Fold(a0 + a1);
    }

    /// <summary>Renames the four accumulators so that the one <paramref name="turn"/> places on comes first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Turn(ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3, int turn)
    {
        for (; turn > 0; turn--) (a0, a1, a2, a3) = (a1, a2, a3, a0);
    }

    [MethodImpl(HotPath.Options)]
    private static float PlaneBlocksScalar(ReadOnlySpan<float> source, int planeLength, int planeStride, long blocks)
    {
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (long g = 0; g < blocks; g++) lanes[(int)(g % Lanes)] += source[(int)(g / planeLength * planeStride + g % planeLength)];
        for (int half = Lanes / 2; half >= 1; half /= 2)
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        return lanes[0];
    }
}
