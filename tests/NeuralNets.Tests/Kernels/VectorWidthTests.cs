using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The matrix-multiply kernels give the same C, bit for bit, at every vector width this CPU can run
/// (512, 256 and 128 bits) and with the scalar tiles of CPUs without vectors or FMA, so that the 128-bit paths of
/// ARM64 and the scalar ones of WebAssembly are checked on x86 too.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class VectorWidthTests
{
    private static readonly int[] Widths = [128, 256, 512];

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 10, 784 }, { 3, 5, 7 }, { 4, 17, 9 }, { 9, 33, 65 }, { 17, 65, 31 }, { 33, 47, 70 },
        { 64, 128, 784 }, { 64, 10, 128 }, { 128, 784, 64 }, { 70, 69, 67 }, { 6, 700, 25 }, { 6, 25, 5000 }, { 16, 150, 6400 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Float_EveryWidth_BitIdentical(int m, int n, int k) => CheckEveryWidth<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Double_EveryWidth_BitIdentical(int m, int n, int k) => CheckEveryWidth<double>(m, n, k);

    [Fact]
    public void Compute_UnsupportedWidth_IsRefused()
    {
        var act = () => MatrixMultiply.Compute<float>(new float[4], false, new float[4], false, new float[4], 2, 2, 2, accumulate: false, vectorBits: 64);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*bits*");
    }

    private static void CheckEveryWidth<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Random<T>(1, m * k);
        var b = Random<T>(2, k * n);
        var start = Random<T>(3, m * n);
        var bias = Random<T>(4, n);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        foreach (var (accumulate, withBias) in new[] { (false, false), (true, false), (false, true) })
        foreach (int threads in new[] { 1, 2 })
        {
            T[] Run(int bits)
            {
                var c = (T[])start.Clone();
                MatrixMultiply.Compute<T>(a, transposeA, b, transposeB, c, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0,
                    bias: withBias ? bias : default, vectorBits: bits);
                return c;
            }
            var widest = Run(0);
            string where = $"transposeA={transposeA}, transposeB={transposeB}, accumulate={accumulate}, bias={withBias}, {threads} threads";
            foreach (int bits in Widths.Where(w => w <= GemmPacked.WidestBits))
                Run(bits).Should().Equal(widest, $"{bits} bits, {where}");
            using (KernelWidth.Limit(KernelWidth.Scalar)) Run(0).Should().Equal(widest, $"scalar, {where}");
        }
    }

    private static T[] Random<T>(int seed, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
