using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// A B stored k×n that starts off a cache line (a caller's own array) is read in place by tiles whose chunks are moved
/// left so that their reads start on lines, with the first chunk's leading columns packed, or packed from the whole lines
/// its rows touch: every offset gives the same C, bit for bit, as the same B on a line, at every vector width.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class BOffCacheLineTests
{
    [Theory]
    [InlineData(128, 784, 64)]  // a 784-input layer's weight gradient at batch 64, B its input
    [InlineData(19, 48, 7)]
    [InlineData(13, 96, 9)]     // one chunk with leading columns and a partial last panel
    [InlineData(40, 16, 30)]    // one vector of floats wide
    [InlineData(70, 320, 33)]
    [InlineData(6, 48, 3000)]   // few chunks over a deep k: k cut into pieces, each a partial product of its own
    [InlineData(33, 64, 1)]     // k = 1: the rank-one update
    [InlineData(13, 784, 256)]  // a k-block beyond the data TLB's reach: B packed, its rows read as whole lines
    public void Compute_BAtEveryOffsetFromALine_SameBitsAsOnALine(int m, int n, int k)
    {
        CheckEveryOffset<float>(m, n, k);
        CheckEveryOffset<double>(m, n, k);
    }

    [Fact]
    public unsafe void Problem_BOffALine_ShiftsTheColumnChunksByTheOffset()
    {
        var buffer = AlignedArrays.Allocate<float>(64 * 784 + 16);
        fixed (float* start = buffer.AsSpan())
        {
            var onLine = new GemmProblem<float>(start, true, start, false, start, 128, 784, 64, accumulate: false);
            var offLine = new GemmProblem<float>(start, true, start + 6, false, start, 128, 784, 64, accumulate: false);
            var rowsOffLines = new GemmProblem<float>(start, true, start + 6, false, start, 128, 780, 64, accumulate: false);
            onLine.ColumnShift.Should().Be(0);
            offLine.ColumnShift.Should().Be(6, "B starts 24 bytes past a line");
            offLine.ChunksN.Should().Be((784 + 6 + 63) / 64);
            offLine.PackedChunkColumns(0).Should().Be((0, 58));
            offLine.PackedChunkColumns(1).Should().Be((58, 122));
            offLine.PackedChunkColumns(offLine.ChunksN - 1).Should().Be((762, 784));
            rowsOffLines.ColumnShift.Should().Be(0, "rows of 780 floats start at different offsets from a line");
        }
    }

    private static void CheckEveryOffset<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lineElements = 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var random = new Random(m * 1000 + n);
        T Next() => T.CreateChecked(random.NextDouble() * 2 - 1);
        var a = Enumerable.Range(0, m * k).Select(_ => Next()).ToArray();
        var bValues = Enumerable.Range(0, k * n).Select(_ => Next()).ToArray();
        var start = Enumerable.Range(0, m * n).Select(_ => Next()).ToArray();
        var buffer = AlignedArrays.Allocate<T>(k * n + lineElements);
        foreach (bool transposeA in new[] { false, true })
            foreach (bool accumulate in new[] { false, true })
                foreach (int threads in new[] { 1, 2 })
                    foreach (int bits in new[] { 512, 256, 128, KernelWidth.Scalar }.Where(w => w <= GemmPacked.WidestBits))
                    {
                        T[] Run(int offset)
                        {
                            var b = buffer.AsSpan(offset, k * n);
                            bValues.CopyTo(b);
                            var c = (T[])start.Clone();
                            using (KernelWidth.Limit(bits))
                                MatrixMultiply.Compute<T>(a, transposeA, b, false, c, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0);
                            return c;
                        }
                        var onLine = Run(0);
                        for (int offset = 1; offset < lineElements; offset++)
                            Run(offset).Should().Equal(onLine,
                                $"{typeof(T).Name} B {offset} elements past a line, {bits} bits, transposeA={transposeA}, accumulate={accumulate}, {threads} threads");
                    }
    }
}
