using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The row-dot product against a B packed ahead of time (<see cref="GemmDot.Pack{T}"/>, a frozen network's dense weights)
/// gives the bits of the product against B itself: every tile of six rows and of one, the columns past the last group of
/// eight, the tail of k, a bias, accumulation, an epilogue, any thread count, float and double. So does the product that
/// packs B as it goes (chunks of <see cref="GemmDot.PackingMinimumRows"/> rows and more), against the 256-bit tiles, which
/// never pack.
/// </summary>
public class PackedDotTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 8, 8 }, { 1, 128, 784 }, { 5, 9, 15 }, { 6, 16, 16 }, { 7, 10, 17 }, { 12, 24, 64 }, { 13, 17, 785 },
        { 64, 128, 784 }, { 65, 130, 100 }, { 33, 8, 3 },
        // Rows left below a multiple of six, for the four-, two- and one-row tiles: 4, 2, 2 + 1, 4 + 1.
        { 4, 16, 40 }, { 8, 8, 256 }, { 9, 24, 17 }, { 11, 16, 33 },
    };

    /// <summary>Shapes with enough rows for the product to pack B as it goes.</summary>
    public static TheoryData<int, int, int> PackingShapes => new()
    {
        { 96, 16, 784 }, { 100, 24, 17 }, { 128, 130, 100 }, { 200, 8, 9 }, { 97, 64, 64 }, { 103, 9, 33 }, { 256, 40, 8 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_PackedB_SameBitsAsB_Float(int m, int n, int k) => SameBits<float>(m, n, k, packedAhead: true);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_PackedB_SameBitsAsB_Double(int m, int n, int k) => SameBits<double>(m, n, k, packedAhead: true);

    [Theory]
    [MemberData(nameof(PackingShapes))]
    public void Compute_PackingAsItGoes_SameBitsAsTheUnpackedTiles_Float(int m, int n, int k) => SameBits<float>(m, n, k, packedAhead: false);

    [Theory]
    [MemberData(nameof(PackingShapes))]
    public void Compute_PackingAsItGoes_SameBitsAsTheUnpackedTiles_Double(int m, int n, int k) => SameBits<double>(m, n, k, packedAhead: false);

    /// <summary>
    /// With <paramref name="packedAhead"/>: the product against a packing of B against the one against B. Without: the product
    /// (which packs B as it goes) against the same at 256 bits.
    /// </summary>
    private static void SameBits<T>(int m, int n, int k, bool packedAhead) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!packedAhead) m.Should().BeGreaterThanOrEqualTo(GemmDot.PackingMinimumRows, "the shapes must reach the packing path");
        var random = new Random(m * 1000 + n * 10 + k);
        T[] Values(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        var a = Values(m * k);
        var b = Values(n * k);
        var bias = Values(n);
        var start = Values(m * n);
        var packed = packedAhead ? GemmDot.Pack<T>(b, n, k) : default;
        foreach (bool accumulate in new[] { false, true })
        {
            var expected = (T[])start.Clone();
            MatrixMultiply.Compute<T>(a, false, b, true, expected, m, n, k, accumulate, maxThreads: 1, bias: accumulate ? default : bias,
                vectorBits: packedAhead ? 0 : Math.Min(256, GemmPacked.WidestBits));
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (bool splitRows in new[] { false, true })
                {
                    var c = (T[])start.Clone();
                    MatrixMultiply.Compute<T>(a, false, b, true, c, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0,
                        bias: accumulate ? default : bias, splitRows: splitRows, packedB: packed);
                    c.Should().Equal(expected, $"accumulate {accumulate}, {threads} threads, rows split {splitRows}");
                }
        }
    }

    [Fact]
    public void Compute_PackedB_ReadWhereTheCpuHasTheWideTiles()
    {
        // A packing of another B: read, it changes C; ignored (no 512-bit kernels), C stays the product with B.
        int m = 12, n = 16, k = 64;
        var random = new Random(5);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => (float)random.NextDouble()).ToArray();
        var other = b.Select(v => v + 1).ToArray();
        var expected = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, true, expected, m, n, k, false);
        var c = new float[m * n];

        MatrixMultiply.Compute<float>(a, false, b, true, c, m, n, k, false, packedB: GemmDot.Pack<float>(other, n, k));

        if (GemmDot.PackingSupported) c.Should().NotEqual(expected, "the packed B is what the 512-bit tiles read");
        else c.Should().Equal(expected, "without 512-bit kernels the packing is not read");
    }

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(32, 16, 100)]
    [InlineData(13, 24, 33)]
    public void Compute_InputOffABlockBoundary_SameBitsAsAligned(int m, int n, int k)
    {
        // A caller's A one float past a cache line: bands of whole rows read it from an aligned copy, which must hold the same rows.
        var random = new Random(m + n + k);
        var storage = AlignedArrays.Allocate<float>(m * k + 1);
        var a = storage.AsSpan(1, m * k);
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5);
        var alignedA = AlignedArrays.Allocate<float>(m * k);
        a.CopyTo(alignedA.AsSpan());
        var b = Enumerable.Range(0, n * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = new float[m * n];
        MatrixMultiply.Compute<float>(alignedA, false, b, true, expected, m, n, k, false, maxThreads: 1, bias: bias);
        var packed = GemmDot.Pack<float>(b, n, k);
        // The packed tiles, the unpacked 512-bit ones and the 256-bit ones (where the CPU has them) read the copy alike.
        foreach (int bits in new[] { 0, 256 }.Where(bits => bits <= GemmPacked.WidestBits))
            foreach (bool usePacked in new[] { true, false })
                foreach (int threads in new[] { 1, 2 })
                    foreach (bool splitRows in new[] { false, true })
                    {
                        var c = new float[m * n];
                        MatrixMultiply.Compute<float>(a, false, b, true, c, m, n, k, false, maxThreads: threads, parallelThreshold: 0, bias: bias,
                            vectorBits: bits, splitRows: splitRows, packedB: usePacked ? packed : default);
                        c.Should().Equal(expected, $"{bits} bits, packed {usePacked}, {threads} threads, rows split {splitRows}");
                    }
    }

    [Fact]
    public void Compute_PackedBOfAnotherShape_Refused()
    {
        var a = new float[4 * 16];
        var b = new float[8 * 16];
        var c = new float[4 * 8];

        var act = () => MatrixMultiply.Compute<float>(a, false, b, true, c, 4, 8, 16, false, packedB: GemmDot.Pack<float>(new float[16 * 16], 16, 16));

        act.Should().Throw<ArgumentException>().WithMessage("*packed B of 256 elements*[4×16]·[16×8]*");
    }
}
