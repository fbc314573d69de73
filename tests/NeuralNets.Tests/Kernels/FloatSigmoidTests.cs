using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The float sigmoid: accurate in both numeric families (the family switch makes these tests run alone), and the same wherever an element falls.</summary>
[Collection(NarrowedWidth.Name)]
public class FloatSigmoidTests
{
    private static float Exact(float x)
    {
        double s = 1 / (1 + Math.Exp(-(double)x));
        return s < 1.17549435e-38 ? 0f : (float)s;
    }

    private static double UlpDistance(float actual, float expected)
    {
        if (actual == expected) return 0;
        float step = MathF.BitIncrement(MathF.Abs(expected)) - MathF.Abs(expected);
        return Math.Abs((double)actual - expected) / step;
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Compute_DenseSweepOverTheWholeRange_Within4UlpOfExact(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        const int count = 1_000_001;
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = -110f + 220f * i / (count - 1);
        var y = new float[count];
        FloatSigmoid.Compute(x, y);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < count; i++)
        {
            double distance = UlpDistance(y[i], Exact(x[i]));
            if (distance > worst) (worst, worstAt) = (distance, x[i]);
        }
        worst.Should().BeLessThanOrEqualTo(4, $"the worst error is at x = {worstAt}");
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Compute_RandomValues_Within4UlpOfExact(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        var random = new Random(7);
        var x = new float[100_000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-8, 3)));
        var y = new float[x.Length];
        FloatSigmoid.Compute(x, y);
        for (int i = 0; i < x.Length; i++) UlpDistance(y[i], Exact(x[i])).Should().BeLessThanOrEqualTo(4, $"x = {x[i]}");
    }

    [Fact]
    public void Compute_SpecialValues()
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 90f, -87f, -88f, -100f, float.MaxValue, float.MinValue];
        var y = new float[x.Length];
        FloatSigmoid.Compute(x, y);
        y[0].Should().Be(0.5f);
        y[1].Should().Be(0.5f);
        y[2].Should().Be(1f);
        y[3].Should().Be(0f);
        float.IsNaN(y[4]).Should().BeTrue("a NaN input must stay visible");
        y[5].Should().Be(1f);
        y[6].Should().BeGreaterThan(1.17549435e-38f, "σ(−87) ≈ 1.6e-38 is still a normal float");
        y[7].Should().Be(0f, "σ(−88) ≈ 6e-39 is subnormal and flushed");
        y[8].Should().Be(0f);
        y[9].Should().Be(1f);
        y[10].Should().Be(0f);
    }

    [Fact]
    public void Compute_EveryElementSameWhereverItFallsInTheSpan()
    {
        // The vector loop and the scalar tail must agree bit for bit: shift the same values by 0–16
        // places so that each one is computed by both.
        var random = new Random(3);
        var values = new float[200];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 40 - 20);
        var reference = values.Select(FloatSigmoid.Of).ToArray();
        for (int shift = 0; shift <= 16; shift++)
        {
            var x = new float[shift + values.Length];
            values.CopyTo(x, shift);
            var y = new float[x.Length];
            FloatSigmoid.Compute(x, y);
            y.AsSpan(shift).ToArray().Should().Equal(reference, $"shift {shift}");
        }
    }

    [Fact]
    public void Compute_SpecialValuesInsideVectors_SameAsTheScalarPath()
    {
        // The special values above are fewer than one vector; here each sits at every lane position of a
        // span long enough for the vector loop, and must come out as the one-element path gives it.
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 87.3f, 88f, 90f, -87f, -87.3f, -88f, -100f, float.MaxValue, float.MinValue, 1e-30f, -1e-30f];
        foreach (float special in specials)
            for (int position = 0; position < 40; position++)
            {
                var x = Enumerable.Range(0, 40).Select(i => i * 0.5f - 10f).ToArray();
                x[position] = special;
                var y = new float[x.Length];
                FloatSigmoid.Compute(x, y);
                float expected = FloatSigmoid.Of(special);
                if (float.IsNaN(expected)) float.IsNaN(y[position]).Should().BeTrue($"σ(NaN) at position {position}");
                else BitConverter.SingleToInt32Bits(y[position]).Should().Be(BitConverter.SingleToInt32Bits(expected), $"σ({special}) at position {position}");
            }
    }

    [Fact]
    public void Compute_InPlace_SameAsIntoAnotherSpan()
    {
        var x = Enumerable.Range(0, 77).Select(i => i * 0.37f - 14f).ToArray();
        var y = new float[x.Length];
        FloatSigmoid.Compute(x, y);
        FloatSigmoid.Compute(x, x);
        x.Should().Equal(y);
    }

    [Fact]
    public void Compute_OutputTooShort_Throws()
    {
        var act = () => FloatSigmoid.Compute(new float[5], new float[4]);
        act.Should().Throw<ArgumentException>().WithMessage("*5*4*");
    }
}
