using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The library's own exponential, logarithm and fixed-order sums: accurate, and the same at every width, in both numeric families.</summary>
[Collection(NarrowedWidth.Name)]
public class PortableMathTests
{
    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Exponential_Float_Within2UlpOfExactOverTheWholeRange(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        var x = new float[200_001];
        for (int i = 0; i < x.Length; i++) x[i] = -110f + 210f * i / (x.Length - 1);
        var y = new float[x.Length];
        Exponential.Compute<float>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            if (exact < 1.17549435e-38) continue; // subnormal results: within an absolute 2e-45
            float expected = (float)exact;
            double ulp = float.IsInfinity(expected) ? 0 : MathF.BitIncrement(expected) - expected;
            if (float.IsInfinity(expected)) y[i].Should().Be(float.PositiveInfinity, $"x = {x[i]}");
            else Math.Abs(y[i] - exact).Should().BeLessThanOrEqualTo(2 * ulp, $"x = {x[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Exponential_Double_Within2UlpOfExact(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        var random = new Random(3);
        var x = new double[100_000];
        for (int i = 0; i < x.Length; i++) x[i] = (random.NextDouble() * 2 - 1) * 700;
        var y = new double[x.Length];
        Exponential.Compute<double>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            Math.Abs(y[i] - expected).Should().BeLessThanOrEqualTo(2 * (Math.BitIncrement(expected) - expected), $"x = {x[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Exponential_SpecialValues(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        double[] x = [0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 709.78, 710, -745, -746, 1];
        var y = new double[x.Length];
        Exponential.Compute<double>(x, y);
        y[0].Should().Be(1);
        y[1].Should().Be(1);
        y[2].Should().Be(double.PositiveInfinity);
        y[3].Should().Be(0);
        double.IsNaN(y[4]).Should().BeTrue();
        double.IsFinite(y[5]).Should().BeTrue();
        y[6].Should().Be(double.PositiveInfinity);
        y[8].Should().Be(0);
        y[9].Should().BeApproximately(Math.E, 1e-15);
        float[] xf = [0, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 88.7f, 89f, -104f];
        var yf = new float[xf.Length];
        Exponential.Compute<float>(xf, yf);
        yf[0].Should().Be(1f);
        yf[1].Should().Be(float.PositiveInfinity);
        yf[2].Should().Be(0f);
        float.IsNaN(yf[3]).Should().BeTrue();
        float.IsFinite(yf[4]).Should().BeTrue();
        yf[5].Should().Be(float.PositiveInfinity);
        yf[6].Should().Be(0f);
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Exponential_EveryWidthBitIdentical(bool unfused)
    {
        var random = new Random(4);
        foreach (int length in new[] { 1, 5, 8, 17, 33, 100 })
        {
            var xd = Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2 - 1) * 800).ToArray();
            var xf = xd.Select(v => (float)(v / 8)).ToArray();
            var widths = NarrowedWidth.AtEveryWidth(() =>
            {
                var yd = new double[length];
                var yf = new float[length];
                Exponential.Compute<double>(xd, yd);
                Exponential.Compute<float>(xf, yf);
                var sd = new double[length];
                Exponential.Sigmoid<double>(xd.Select(v => v / 8).ToArray(), sd);
                return yd.Concat(yf.Select(v => (double)v)).Concat(sd).ToArray();
            }, unfused);
            foreach (var (bits, y) in widths) y.Should().Equal(widths[0].Result, $"{bits} bits, length {length}");
        }
    }

    [Fact]
    public void Logarithm_Within2UlpOfExact()
    {
        var random = new Random(5);
        for (int i = 0; i < 100_000; i++)
        {
            double x = Math.Exp((random.NextDouble() * 2 - 1) * 700);
            double expected = Math.Log(x), actual = Logarithm.Of(x);
            double ulp = Math.Abs(Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected));
            Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(2 * ulp + 1e-300, $"x = {x}");
        }
        Logarithm.Of(1.0).Should().Be(0);
        Logarithm.Of(0.0).Should().Be(double.NegativeInfinity);
        double.IsNaN(Logarithm.Of(-1.0)).Should().BeTrue();
        Logarithm.Of(double.PositiveInfinity).Should().Be(double.PositiveInfinity);
        Logarithm.Of(double.Epsilon).Should().BeApproximately(Math.Log(double.Epsilon), 1e-12);
        Logarithm.Of(10f).Should().Be((float)Math.Log(10.0));
    }

    [Fact]
    public void Logarithm_OfASpan_IsTheScalarFormBitForBit_AtEveryWidth()
    {
        var random = new Random(11);
        // Normal values over the whole range, softmax's row sums (1 to 10), and every kind of special lane, alone and
        // among normal ones, at lengths around the vector widths.
        var values = new List<double>();
        for (int i = 0; i < 4000; i++) values.Add(Math.Exp((random.NextDouble() * 2 - 1) * 700));
        for (int i = 0; i < 1000; i++) values.Add(1 + 9 * random.NextDouble());
        values.AddRange([1.0, Math.Sqrt(2), Math.BitDecrement(Math.Sqrt(2)), Math.BitIncrement(Math.Sqrt(2)), 0.5, 2.0, double.MaxValue,
            2.2250738585072014e-308, double.Epsilon, 1e-310, 0.0, -0.0, -1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN]);
        foreach (int length in new[] { 0, 1, 3, 4, 7, 8, 9, 16, 17, 33, values.Count })
        {
            var doubles = values.Take(length).ToArray();
            var floats = doubles.Select(v => (float)v).ToArray();
            var expectedDoubles = doubles.Select(Logarithm.Of).ToArray();
            var expectedFloats = floats.Select(v => Logarithm.Of(v)).ToArray();
            foreach (var (bits, (d, f)) in NarrowedWidth.AtEveryWidth(() =>
            {
                var d = new double[length];
                var f = new float[length];
                Logarithm.Compute<double>(doubles, d);
                Logarithm.Compute<float>(floats, f);
                return (d, f);
            }))
            {
                d.Select(BitConverter.DoubleToInt64Bits).Should().Equal(expectedDoubles.Select(BitConverter.DoubleToInt64Bits), $"double, {bits} bits, length {length}");
                f.Select(BitConverter.SingleToInt32Bits).Should().Equal(expectedFloats.Select(BitConverter.SingleToInt32Bits), $"float, {bits} bits, length {length}");
            }
        }
        var inPlace = new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0 };
        Logarithm.Compute<double>(inPlace, inPlace);
        inPlace.Should().Equal(Enumerable.Range(1, 9).Select(v => Logarithm.Of((double)v)));
        var tooShort = () => Logarithm.Compute<double>(new double[3], new double[2]);
        tooShort.Should().Throw<ArgumentException>().WithMessage("*3 values*2*");
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void FixedSum_IsTheDocumentedOrder_AtEveryWidth(bool unfused)
    {
        var random = new Random(6);
        foreach (int length in new[] { 0, 1, 10, 31, 32, 33, 64, 100, 1000, 50_176 })
        {
            var x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var y = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var xd = x.Select(v => (double)v * 1.000001).ToArray();
            var widths = NarrowedWidth.AtEveryWidth(() => new[]
            {
                FixedSum.Sum<float>(x), FixedSum.Dot<float>(x, y), FixedSum.Sum<double>(xd), FixedSum.Dot<double>(xd, xd),
            }, unfused);
            bool fused = !unfused && KernelWidth.HardwareFma;
            var expected = new[] { Reference(x, null, fused), Reference(x, y, fused), Reference(xd, null, fused), Reference(xd, xd, fused) };
            foreach (var (bits, sums) in widths) sums.Should().Equal(expected, $"{bits} bits, length {length}");
        }
    }

    // The order the remarks of FixedSum document, written out plainly: each dot-product step a fused multiply-add,
    // or a rounded product then a sum.
    private static double Reference(float[] x, float[]? y, bool fused)
    {
        var lanes = new float[FixedSum.Lanes];
        int blocks = x.Length / FixedSum.Lanes * FixedSum.Lanes;
        for (int i = 0; i < blocks; i++) lanes[i % FixedSum.Lanes] = y == null ? lanes[i % FixedSum.Lanes] + x[i] : Step(x[i], y[i], lanes[i % FixedSum.Lanes], fused);
        for (int half = FixedSum.Lanes / 2; half >= 1; half /= 2)
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        float sum = blocks > 0 ? lanes[0] : 0f;
        for (int i = blocks; i < x.Length; i++) sum = y == null ? sum + x[i] : Step(x[i], y[i], sum, fused);
        return sum;
    }

    private static double Reference(double[] x, double[]? y, bool fused)
    {
        var lanes = new double[FixedSum.Lanes];
        int blocks = x.Length / FixedSum.Lanes * FixedSum.Lanes;
        for (int i = 0; i < blocks; i++) lanes[i % FixedSum.Lanes] = y == null ? lanes[i % FixedSum.Lanes] + x[i] : Step(x[i], y[i], lanes[i % FixedSum.Lanes], fused);
        for (int half = FixedSum.Lanes / 2; half >= 1; half /= 2)
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        double sum = blocks > 0 ? lanes[0] : 0;
        for (int i = blocks; i < x.Length; i++) sum = y == null ? sum + x[i] : Step(x[i], y[i], sum, fused);
        return sum;
    }

    private static float Step(float x, float y, float sum, bool fused) => fused ? MathF.FusedMultiplyAdd(x, y, sum) : x * y + sum;

    private static double Step(double x, double y, double sum, bool fused) => fused ? Math.FusedMultiplyAdd(x, y, sum) : x * y + sum;
}
