using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The row-dot product packing B as it goes (chunks of <see cref="GemmDot.PackingMinimumRows"/> rows and more, 512-bit
/// kernels) gives the bits of the 256-bit tiles, which never pack: the packing tile, the packed six-, four-, two- and
/// one-row tiles after it, columns past the last group of eight, the tail of k, a bias, accumulation, any thread count,
/// rows split or not, float and double.
/// </summary>
public class PackingDotTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 96, 16, 784 }, { 100, 24, 17 }, { 128, 130, 100 }, { 200, 8, 9 }, { 97, 64, 64 }, { 103, 9, 33 }, { 256, 40, 8 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_PackingAsItGoes_SameBitsAsTheUnpackedTiles_Float(int m, int n, int k) => SameBits<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_PackingAsItGoes_SameBitsAsTheUnpackedTiles_Double(int m, int n, int k) => SameBits<double>(m, n, k);

    private static void SameBits<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        m.Should().BeGreaterThanOrEqualTo(GemmDot.PackingMinimumRows, "the shapes must reach the packing path");
        var random = new Random(m * 1000 + n * 10 + k);
        T[] Values(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        var a = Values(m * k);
        var b = Values(n * k);
        var bias = Values(n);
        var start = Values(m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            var expected = (T[])start.Clone();
            MatrixMultiply.Compute<T>(a, false, b, true, expected, m, n, k, accumulate, maxThreads: 1, bias: accumulate ? default : bias,
                vectorBits: Math.Min(256, GemmPacked.WidestBits));
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (bool splitRows in new[] { false, true })
                {
                    var c = (T[])start.Clone();
                    MatrixMultiply.Compute<T>(a, false, b, true, c, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0,
                        bias: accumulate ? default : bias, splitRows: splitRows);
                    c.Should().Equal(expected, $"accumulate {accumulate}, {threads} threads, rows split {splitRows}");
                }
        }
    }
}
