using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The matrix-multiply kernels give the same C, bit for bit, at every vector width this CPU can run
/// (512, 256 and 128 bits) and with the scalar tiles of CPUs without vectors, in each numeric family: the hardware's
/// and the unfused one forced, so that the 128-bit paths of ARM64 and WebAssembly, the scalar ones and the
/// unfused ones of CPUs without FMA are checked on x86 too.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class VectorWidthTests
{
    private static readonly int[] Widths = [128, 256, 512];

    private static readonly (int M, int N, int K)[] ShapeList =
    [
        (1, 1, 1), (1, 10, 784), (3, 5, 7), (4, 17, 9), (9, 33, 65), (17, 65, 31), (33, 47, 70),
        (64, 128, 784), (64, 10, 128), (128, 784, 64), (70, 69, 67), (6, 700, 25), (6, 25, 5000), (16, 150, 6400),
        // Tails of k after whole vectors in the six- and four-column tiles: a 100-input layer, LeNet's 84-input one.
        (64, 100, 100), (64, 10, 84),
        // Rows of A and B a page apart (float k = 1024, double k = 512): the row-dot tiles read a copy of each group of B's rows; k cut into pieces.
        (32, 70, 1024), (32, 70, 512), (64, 16, 2048),
    ];

    /// <summary>Every shape in both families (false: the hardware's; true: the unfused one forced).</summary>
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach (bool unfused in new[] { false, true })
            foreach (var (m, n, k) in ShapeList) data.Add(m, n, k, unfused);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Float_EveryWidth_BitIdentical(int m, int n, int k, bool unfused) => CheckEveryWidth<float>(m, n, k, unfused);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Double_EveryWidth_BitIdentical(int m, int n, int k, bool unfused) => CheckEveryWidth<double>(m, n, k, unfused);

    [Fact]
    public void Compute_UnfusedFamily_IsProductThenSum_NotFused()
    {
        // One element whose families differ: the first step gives −1·1, the second multiply-adds (1 + ε)(1 − ε) =
        // 1 − ε² onto it. Fused, −ε² is exact; unfused, 1 − ε² (ε = 2⁻¹³) first rounds to 1 in float, so 0.
        float e = MathF.Pow(2, -13);
        float[] a = [-1, 1 + e], b = [1, 1 - e];
        // Four identical rows, so that the packed kernel and the row-dot kernel (B 1×2, transposed) compute it, not the direct loops.
        var rows = a.Concat(a).Concat(a).Concat(a).ToArray();
        float Product(bool unfused, int bits, bool transposeB) => NarrowedWidth.InFamily(unfused, () =>
        {
            using var width = KernelWidth.Limit(bits);
            var c = new float[4];
            MatrixMultiply.Compute<float>(rows, false, b, transposeB, c, 4, 1, 2, accumulate: false, parallelThreshold: 0);
            return c[0];
        });
        foreach (int bits in new[] { 512, 256, 128, KernelWidth.Scalar })
            foreach (bool transposeB in new[] { false, true })
            {
                Product(true, bits, transposeB).Should().Be(0f, $"unfused at {bits} bits, transposeB={transposeB}: (1 + ε)(1 − ε) rounds to 1, then − 1");
                if (KernelWidth.HardwareFma) Product(false, bits, transposeB).Should().Be(-e * e, $"fused at {bits} bits, transposeB={transposeB}, keeps −ε²");
            }
    }

    [Fact]
    public void Compute_UnsupportedWidth_IsRefused()
    {
        var act = () => MatrixMultiply.Compute<float>(new float[4], false, new float[4], false, new float[4], 2, 2, 2, accumulate: false, vectorBits: 64);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*bits*");
    }

    private static void CheckEveryWidth<T>(int m, int n, int k, bool unfused) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var family = KernelWidth.ForceUnfused(unfused);
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
