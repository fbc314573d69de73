using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

public class MatrixMultiplyTests
{
    // Odd and even sizes around every tile width (8 rows; 16/32 columns; 64-column chunks) and the 1..70 range.
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 70, 33 }, { 3, 5, 7 }, { 4, 17, 9 }, { 7, 31, 2 }, { 8, 32, 8 }, { 9, 33, 65 },
        { 15, 16, 1 }, { 17, 65, 31 }, { 31, 63, 64 }, { 33, 47, 70 }, { 64, 64, 64 }, { 65, 70, 13 },
        { 70, 1, 70 }, { 70, 69, 67 }, { 41, 129, 23 }, { 12, 10, 300 }, { 130, 40, 530 }, { 6, 700, 25 }, { 25, 300, 6 }, { 6, 25, 5000 }, { 9, 40, 2600 }, { 20, 900, 100 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Float_AllTransposesAndAccumulate_MatchNaiveProduct(int m, int n, int k) => CheckAgainstNaive<float>(m, n, k, 2e-6);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compute_Double_AllTransposesAndAccumulate_MatchNaiveProduct(int m, int n, int k) => CheckAgainstNaive<double>(m, n, k, 1e-14);

    [Theory]
    [InlineData(130, 150, 70)]
    [InlineData(256, 256, 256)]
    [InlineData(64, 784, 128)]
    [InlineData(6, 3000, 25)]
    [InlineData(16, 1000, 150)]
    [InlineData(6, 25, 50176)]
    [InlineData(16, 150, 6400)]
    [InlineData(128, 784, 1)]
    [InlineData(1, 128, 784)]
    [InlineData(10, 128, 3)]
    public void Compute_OneTwoAndThreeThreads_BitIdentical(int m, int n, int k)
    {
        foreach (var (transposeA, transposeB) in Transposes)
        {
            var a = RandomValues<float>(11, m * k);
            var b = RandomValues<float>(12, k * n);
            var seed = RandomValues<float>(13, m * n);
            float[] single = (float[])seed.Clone(), two = (float[])seed.Clone(), three = (float[])seed.Clone();
            MatrixMultiply.Compute<float>(a, transposeA, b, transposeB, single, m, n, k, accumulate: true, maxThreads: 1);
            // Threshold 0: even the small products take the parallel path here.
            MatrixMultiply.Compute<float>(a, transposeA, b, transposeB, two, m, n, k, accumulate: true, maxThreads: 2, parallelThreshold: 0);
            MatrixMultiply.Compute<float>(a, transposeA, b, transposeB, three, m, n, k, accumulate: true, maxThreads: 3, parallelThreshold: 0);
            two.Should().Equal(single, $"transposeA={transposeA}, transposeB={transposeB}");
            three.Should().Equal(single, $"transposeA={transposeA}, transposeB={transposeB}");
        }
    }

    [Theory]
    [InlineData(37, 130, 784)]
    [InlineData(70, 10, 5000)]
    [InlineData(9, 5, 13)]
    public void Compute_ABTransposed_EachRowSameAsAlone(int m, int n, int k)
    {
        // A dense layer's forward pass: a sample predicted alone must equal its row of the batch.
        var a = RandomValues<float>(31, m * k);
        var b = RandomValues<float>(32, n * k);
        var bias = RandomValues<float>(33, m * n);
        var batch = (float[])bias.Clone();
        MatrixMultiply.Compute<float>(a, false, b, true, batch, m, n, k, accumulate: true);
        for (int i = 0; i < m; i++)
        {
            var row = bias.AsSpan(i * n, n).ToArray();
            MatrixMultiply.Compute<float>(a.AsSpan(i * k, k), false, b, true, row, 1, n, k, accumulate: true);
            row.Should().Equal(batch.AsSpan(i * n, n).ToArray(), $"row {i}");
        }
    }

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(67, 130, 300)]
    [InlineData(40, 8, 2100)]   // few column chunks over a deep k: k is cut into pieces, the same pieces either way
    [InlineData(16, 10, 128)]
    [InlineData(7, 33, 50)]     // too few rows for bands: the column chunks stay
    [InlineData(300, 20, 30)]   // too many rows per band: the column chunks stay
    [InlineData(32, 200, 700)]  // B too large to read whole on every core: the column chunks stay
    public void Compute_ABTransposedSplitByRows_SameBitsAsSplitByColumns(int m, int n, int k)
    {
        // Inference gives each core a band of rows rather than a chunk of columns; no element's sum may change.
        var a = RandomValues<float>(41, m * k);
        var b = RandomValues<float>(42, n * k);
        var bias = RandomValues<float>(43, n);
        var columns = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, true, columns, m, n, k, accumulate: false, maxThreads: 1, bias: bias);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            var rows = new float[m * n];
            MatrixMultiply.Compute<float>(a, false, b, true, rows, m, n, k, accumulate: false, maxThreads: threads, parallelThreshold: 0,
                bias: bias, splitRows: true);
            rows.Should().Equal(columns, $"{threads} bands of rows");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [InlineData(64, 128, 784)]
    [InlineData(1, 10, 128)]
    public void Compute_WithBias_BitIdenticalToBiasRowsThenAccumulate(int m, int n, int k)
    {
        CheckBias<float>(m, n, k);
        CheckBias<double>(m, n, k);
    }

    private static void CheckBias<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = RandomValues<T>(51, m * k);
        var b = RandomValues<T>(52, k * n);
        var bias = RandomValues<T>(53, n);
        foreach (var (transposeA, transposeB) in Transposes)
        {
            var expected = new T[m * n];
            for (int i = 0; i < m; i++) bias.CopyTo(expected, i * n);
            MatrixMultiply.Compute<T>(a, transposeA, b, transposeB, expected, m, n, k, accumulate: true);
            foreach (int threads in new[] { 1, 2 })
            {
                var fused = RandomValues<T>(54, m * n); // whatever C held before is overwritten
                MatrixMultiply.Compute<T>(a, transposeA, b, transposeB, fused, m, n, k, accumulate: false, maxThreads: threads,
                    parallelThreshold: 0, bias: bias);
                fused.Should().Equal(expected, $"{typeof(T).Name} transposeA={transposeA}, transposeB={transposeB}, threads={threads}");
            }
        }
    }

    [Theory]
    [InlineData(128, 784, 64)] // a weight gradient: 784 = 24 full tiles of 32 and an edge of 16 floats (or 8 doubles)
    [InlineData(19, 48, 7)]
    [InlineData(13, 40, 9)]    // an edge of 8 floats (packed) and of 8 doubles (one vector)
    [InlineData(128, 784, 256)] // a weight gradient at batch 256: B packed, the edge from its zero-padded panel
    [InlineData(100, 784, 300)] // two k-blocks, the second added to the first; a partial last row tile
    [InlineData(96, 1048, 40)]  // doubles: B packed (335 KB a k-block), an edge of 8 doubles
    public void Compute_EdgeOneVectorWide_BitIdenticalToTheSameColumnsInsideAWiderProduct(int m, int n, int k)
    {
        CheckEdge<float>(m, n, k);
        CheckEdge<double>(m, n, k);
    }

    private static void CheckEdge<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The same B with 32 more columns has no one-vector edge: its first n columns go through the
        // full-width kernel and must come out exactly as the edge kernel computes them.
        int wide = (n + 32 + 31) / 32 * 32;
        foreach (bool transposeA in new[] { false, true })
            foreach (bool accumulate in new[] { false, true })
                foreach (int threads in new[] { 1, 2 })
                {
                    var a = RandomValues<T>(61, m * k);
                    var b = RandomValues<T>(62, k * n);
                    var bWide = new T[k * wide];
                    for (int p = 0; p < k; p++) b.AsSpan(p * n, n).CopyTo(bWide.AsSpan(p * wide, n));
                    var initial = RandomValues<T>(63, m * n);
                    var c = (T[])initial.Clone();
                    var cWide = new T[m * wide];
                    for (int i = 0; i < m; i++) initial.AsSpan(i * n, n).CopyTo(cWide.AsSpan(i * wide, n));
                    MatrixMultiply.Compute<T>(a, transposeA, b, false, c, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0);
                    MatrixMultiply.Compute<T>(a, transposeA, bWide, false, cWide, m, wide, k, accumulate, maxThreads: threads, parallelThreshold: 0);
                    for (int i = 0; i < m; i++)
                        c.AsSpan(i * n, n).ToArray().Should().Equal(cWide.AsSpan(i * wide, n).ToArray(),
                            $"{typeof(T).Name} row {i}, transposeA={transposeA}, accumulate={accumulate}, threads={threads}");
                }
    }

    [Theory]
    [InlineData(37, 800, 100)]   // float: a k-block of B spans 320 KB, beyond the in-place limit: packed
    [InlineData(128, 784, 256)]  // a weight gradient at batch 256
    public void Compute_BPackedBeyondTheInPlaceSpan_SameBitsAsItsFirstColumnsReadInPlace(int m, int n, int k)
    {
        ((long)k * n * sizeof(float)).Should().BeGreaterThan(GemmPacked.InPlaceBytes, "the wide product must take the packed panels");
        CheckNarrow<float>(m, n, k);
        CheckNarrow<double>(m, n, k);
    }

    private static void CheckNarrow<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The first 64 columns of B alone span a few KB per k-block and are read in place; inside the wide product they
        // are packed. Each element's chain is the same either way.
        const int narrow = 64;
        foreach (bool transposeA in new[] { false, true })
            foreach (int threads in new[] { 1, 2 })
            {
                var a = RandomValues<T>(71, m * k);
                var b = RandomValues<T>(72, k * n);
                var bNarrow = new T[k * narrow];
                for (int p = 0; p < k; p++) b.AsSpan(p * n, narrow).CopyTo(bNarrow.AsSpan(p * narrow, narrow));
                var c = new T[m * n];
                var cNarrow = new T[m * narrow];
                MatrixMultiply.Compute<T>(a, transposeA, b, false, c, m, n, k, accumulate: false, maxThreads: threads, parallelThreshold: 0);
                MatrixMultiply.Compute<T>(a, transposeA, bNarrow, false, cNarrow, m, narrow, k, accumulate: false, maxThreads: threads, parallelThreshold: 0);
                for (int i = 0; i < m; i++)
                    c.AsSpan(i * n, narrow).ToArray().Should().Equal(cNarrow.AsSpan(i * narrow, narrow).ToArray(),
                        $"{typeof(T).Name} row {i}, transposeA={transposeA}, threads={threads}");
            }
    }

    [Theory]
    [InlineData(128, 784, 64)]   // a weight gradient at batch 64: A (the output gradient, 64×128) is 32 KB
    [InlineData(37, 203, 150)]   // rows and steps that leave partial transpose squares and partial row tiles
    [InlineData(131, 70, 45)]
    public void Compute_AᵀFromATransposedCopy_SameBitsAsAStoredUntransposed(int m, int n, int k)
    {
        // Where the CPU has AVX, these shapes' Aᵀ·B reads a transposed copy of A (on every thread of the team); the kernel's
        // multiply-adds are those of A·B with A stored m×k, so the two must agree bit for bit, at every width and thread count.
        ((long)m * k * sizeof(float)).Should().BeGreaterThan(GemmPacked.TransposedCopyOfABytes);
        GemmPacked.ReadsTransposedCopyOfA<float>(m, n, k).Should().Be(System.Runtime.Intrinsics.X86.Avx.IsSupported);
        CheckTransposedCopy<float>(m, n, k);
        CheckTransposedCopy<double>(m, n, k);
    }

    [Fact]
    public void ReadsTransposedCopyOfA_OnlyForOperandsBetweenTheBounds()
    {
        bool avx = System.Runtime.Intrinsics.X86.Avx.IsSupported;
        GemmPacked.ReadsTransposedCopyOfA<float>(16, 6400, 150).Should().BeFalse("a 9.6 KB operand stays in L1 read in place");
        GemmPacked.ReadsTransposedCopyOfA<float>(128, 64, 256).Should().BeFalse("a C one chunk wide reads A only once");
        GemmPacked.ReadsTransposedCopyOfA<float>(128, 784, 256).Should().Be(avx);
        GemmPacked.ReadsTransposedCopyOfA<float>(2048, 784, 2048).Should().BeFalse("a 16 MB operand is not copied for every thread");
    }

    private static void CheckTransposedCopy<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stored = RandomValues<T>(81, m * k);
        var transposed = new T[k * m];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) transposed[p * m + i] = stored[i * k + p];
        var b = RandomValues<T>(82, k * n);
        var start = RandomValues<T>(83, m * n);
        foreach (bool accumulate in new[] { false, true })
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (int bits in new[] { 0, 128, 256, 512 }.Where(w => w <= GemmPacked.WidestBits))
                {
                    var expected = (T[])start.Clone();
                    var actual = (T[])start.Clone();
                    MatrixMultiply.Compute<T>(stored, false, b, false, expected, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0, vectorBits: bits);
                    MatrixMultiply.Compute<T>(transposed, true, b, false, actual, m, n, k, accumulate, maxThreads: threads, parallelThreshold: 0, vectorBits: bits);
                    actual.Should().Equal(expected, $"{typeof(T).Name}, accumulate={accumulate}, {threads} threads, {bits} bits");
                }
    }

    [Fact]
    public void Compute_BiasOfWrongLengthOrWithAccumulate_Throws()
    {
        var c = new float[4];
        var wrongLength = () => MatrixMultiply.Compute<float>(new float[6], false, new float[6], false, c, 2, 2, 3, accumulate: false, bias: new float[3]);
        wrongLength.Should().Throw<ArgumentException>().WithMessage("*bias of 3 elements*2 columns*");
        var accumulating = () => MatrixMultiply.Compute<float>(new float[6], false, new float[6], false, c, 2, 2, 3, accumulate: true, bias: new float[2]);
        accumulating.Should().Throw<ArgumentException>().WithMessage("*accumulating*");
    }

    [Fact]
    public void Compute_WithBiasAndKZero_EveryRowIsTheBias()
    {
        var c = new[] { 9f, 9f, 9f, 9f };
        MatrixMultiply.Compute<float>([], false, [], false, c, 2, 2, 0, accumulate: false, bias: new[] { 1f, 2f });
        c.Should().Equal(1f, 2f, 1f, 2f);
    }

    [Theory]
    [InlineData(64, 10, 128)]   // the output layer: two row halves
    [InlineData(64, 128, 784)]  // the hidden layer: two column chunks
    [InlineData(70, 10, 5000)]  // k cut into pieces: the bias is copied in first
    [InlineData(9, 5, 13)]
    public void Compute_ABTransposedWithBias_EachRowSameAsAlone(int m, int n, int k)
    {
        // A dense layer's forward pass with the bias in the product: a sample alone must equal its row
        // of the batch, bit for bit, whatever the thread count.
        var a = RandomValues<float>(71, m * k);
        var b = RandomValues<float>(72, n * k);
        var bias = RandomValues<float>(73, n);
        var batch = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, true, batch, m, n, k, accumulate: false, maxThreads: 2, parallelThreshold: 0, bias: bias);
        for (int i = 0; i < m; i++)
        {
            var row = new float[n];
            MatrixMultiply.Compute<float>(a.AsSpan(i * k, k), false, b, true, row, 1, n, k, accumulate: false, bias: bias);
            row.Should().Equal(batch.AsSpan(i * n, n).ToArray(), $"row {i}");
        }
    }

    [Fact]
    public void Compute_RepeatedParallelCalls_SameResultEachTime()
    {
        const int m = 96, n = 200, k = 100;
        var a = RandomValues<double>(21, m * k);
        var b = RandomValues<double>(22, k * n);
        var first = new double[m * n];
        MatrixMultiply.Compute<double>(a, false, b, false, first, m, n, k, accumulate: false, maxThreads: 2);
        for (int repeat = 0; repeat < 50; repeat++)
        {
            var again = new double[m * n];
            MatrixMultiply.Compute<double>(a, false, b, false, again, m, n, k, accumulate: false, maxThreads: 2);
            again.Should().Equal(first);
        }
    }

    [Fact]
    public async Task Compute_ManyQuickParallelCallsFromTwoThreads_EveryResultCorrect()
    {
        // Workers of one call may still be leaving when the next call starts; no call may end before its
        // workers have, or the next would hand them its buffers half-set.
        const int m = 64, n = 128, k = 128;
        var a = RandomValues<float>(41, m * k);
        var b = RandomValues<float>(42, k * n);
        var expected = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, false, expected, m, n, k, accumulate: false, maxThreads: 1);
        var failures = 0;
        var callers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var c = new float[m * n];
            for (int repeat = 0; repeat < 1500; repeat++)
            {
                MatrixMultiply.Compute<float>(a, false, b, false, c, m, n, k, accumulate: false, maxThreads: 2);
                if (!c.AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref failures);
            }
        })).ToArray();
        await Task.WhenAll(callers);
        failures.Should().Be(0);
    }

    [Fact]
    public void Compute_KIsZero_ClearsOrKeepsC()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        MatrixMultiply.Compute<float>([], false, [], false, c, 2, 2, 0, accumulate: true);
        c.Should().Equal(1f, 2f, 3f, 4f);
        MatrixMultiply.Compute<float>([], false, [], false, c, 2, 2, 0, accumulate: false);
        c.Should().Equal(0f, 0f, 0f, 0f);
    }

    [Fact]
    public void Compute_SpanTooShort_ThrowsNamingShapes()
    {
        var act = () => MatrixMultiply.Compute<float>(new float[5], false, new float[6], false, new float[4], 2, 2, 3, accumulate: false);
        act.Should().Throw<ArgumentException>().WithMessage("*[2×3]·[3×2]*5*6*4*");
    }

    [Fact]
    public void Compute_Half_UsesDirectPathAndMatchesNaive()
    {
        var a = new Half[] { (Half)1, (Half)2, (Half)3, (Half)4, (Half)5, (Half)6 };
        var b = new Half[] { (Half)1, (Half)0, (Half)(-1), (Half)2, (Half)0.5, (Half)1 };
        var c = new Half[4];
        MatrixMultiply.Compute<Half>(a, false, b, false, c, 2, 2, 3, accumulate: false);
        c.Select(h => (double)h).Should().Equal(0.5, 7, 2, 16);
    }

    private static readonly (bool, bool)[] Transposes = [(false, false), (false, true), (true, false), (true, true)];

    private static void CheckAgainstNaive<T>(int m, int n, int k, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = m * 10007 + n * 101 + k;
        var a = RandomValues<T>(seed, m * k);
        var b = RandomValues<T>(seed + 1, k * n);
        var initial = RandomValues<T>(seed + 2, m * n);
        foreach (var (transposeA, transposeB) in Transposes)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                var c = (T[])initial.Clone();
                MatrixMultiply.Compute<T>(a, transposeA, b, transposeB, c, m, n, k, accumulate);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double expected = accumulate ? double.CreateChecked(initial[i * n + j]) : 0, scale = Math.Abs(expected);
                        for (int p = 0; p < k; p++)
                        {
                            double term = double.CreateChecked(transposeA ? a[p * m + i] : a[i * k + p])
                                        * double.CreateChecked(transposeB ? b[j * k + p] : b[p * n + j]);
                            expected += term;
                            scale += Math.Abs(term);
                        }
                        double actual = double.CreateChecked(c[i * n + j]);
                        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(tolerance * (scale + 1),
                            $"C[{i},{j}] of [{m}×{k}]·[{k}×{n}], transposeA={transposeA}, transposeB={transposeB}, accumulate={accumulate}");
                    }
            }
        }
    }

    private static T[] RandomValues<T>(int seed, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
