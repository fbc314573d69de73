using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The library's own powers (optimizers' bias corrections, schedules) and cos πx (normal draws, cosine schedules).</summary>
public class PowerAndCosinePiTests
{
    // cos πx from 60-digit arithmetic, rounded to double.
    public static TheoryData<double, double> CosPiExact => new()
    {
        { 0.0, 1.0 }, { 0.1, 0.9510565162951535 }, { 0.25, 0.7071067811865476 }, { 0.3333333333333333, 0.5 }, { 0.5, 0.0 },
        { 0.7, -0.587785252292473 }, { 1.0, -1.0 }, { 1.25, -0.7071067811865476 }, { 1.6, 0.3090169943749477 },
        { 1.9999, 0.9999999506519784 }, { 2.5, 0.0 }, { 7.3, -0.5877852522924736 }, { -0.4, 0.30901699437494734 }, { 1e-09, 1.0 },
    };

    [Theory]
    [MemberData(nameof(CosPiExact))]
    public void CosinePi_IsWithinAnUlpOfOneOfExact(double x, double exact) =>
        Math.Abs(CosinePi.Of(x) - exact).Should().BeLessThanOrEqualTo(1.2e-16, $"cos(π·{x:R})");

    [Fact]
    public void CosinePi_AgreesWithMathCos_AndIsEvenAndPeriodic()
    {
        var random = new Random(13);
        for (int i = 0; i < 20_000; i++)
        {
            double x = (random.NextDouble() * 2 - 1) * 50;
            Math.Abs(CosinePi.Of(x) - Math.Cos(Math.PI * x)).Should().BeLessThan(1e-13, $"cos(π·{x:R})");
            CosinePi.Of(-x).Should().Be(CosinePi.Of(x));
        }
        CosinePi.Of(0.375 + 2).Should().Be(CosinePi.Of(0.375), "x and x + 2 reduce to the same d exactly");
        double.IsNaN(CosinePi.Of(double.NaN)).Should().BeTrue();
        double.IsNaN(CosinePi.Of(double.PositiveInfinity)).Should().BeTrue();
        CosinePi.Of(1e17).Should().Be(1, "every double beyond 2^52 is an even integer");
    }

    [Fact]
    public void SinePi_IsCosinePiHalfATurnLater_AndExactAtTheQuarters()
    {
        CosinePi.SineOf(0.5).Should().Be(1);
        CosinePi.SineOf(1).Should().Be(0);
        CosinePi.SineOf(-0.5).Should().Be(-1);
        CosinePi.SineOf(1e17).Should().Be(0, "every double beyond 2^52 is an integer");
        double.IsNaN(CosinePi.SineOf(double.NegativeInfinity)).Should().BeTrue();
        var random = new Random(17);
        for (int i = 0; i < 10_000; i++)
        {
            double x = (random.NextDouble() * 2 - 1) * 20;
            Math.Abs(CosinePi.SineOf(x) - Math.Sin(Math.PI * x)).Should().BeLessThan(1e-13, $"sin(π·{x:R})");
        }
    }

    [Fact]
    public void StandardNormal_HasMeanZeroAndVarianceOne_AndFollowsItsSeed()
    {
        var random = new Random(23);
        const int Count = 200_000;
        double sum = 0, squares = 0;
        for (int i = 0; i < Count; i++)
        {
            double z = StandardNormal.Draw(random);
            sum += z;
            squares += z * z;
        }
        double mean = sum / Count, variance = squares / Count - mean * mean;
        Math.Abs(mean).Should().BeLessThan(0.01, "the standard error of the mean is 0.0022");
        Math.Abs(variance - 1).Should().BeLessThan(0.015, "the standard error of the variance is 0.0032");
        var (a, b) = (new Random(5), new Random(5));
        for (int i = 0; i < 100; i++) StandardNormal.Draw(a).Should().Be(StandardNormal.Draw(b));
    }

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Theory]
    [InlineData(0.9, 1, 0.09999999999999998)]
    [InlineData(0.9, 3, 0.27099999999999996)]
    [InlineData(0.999, 1, 0.0010000000000000009)]
    [InlineData(0.999, 10, 0.009955119790251798)]
    [InlineData(0.999, 1000, 0.6323045752290363)]
    [InlineData(0.999, 123457, 1.0)]
    [InlineData(0.9, 100, 0.9999734386011124)]
    [InlineData(0.0, 5, 1.0)]
    public void OneMinus_IsWithinAFewUlpOfExact_AtTheFirstStepsAndTheMillionth(double b, long n, double exact) =>
        Ulps(Power.OneMinus(b, n), exact).Should().BeLessThanOrEqualTo(4, $"1 − {b:R}^{n}");

    [Theory]
    [InlineData(0.96, 0.4, 0.9838037943397453)]
    [InlineData(0.95, 7, 0.6983372960937497)]
    [InlineData(0.5, 60, 8.673617379884035e-19)]
    [InlineData(0.1, 20, 1.0000000000000011e-20)]
    public void Of_IsWithinAFewUlpOfExact(double b, double y, double exact) =>
        // An ulp of y·ln b is |y·ln b| ulp of the result.
        Ulps(Power.Of(b, y), exact).Should().BeLessThanOrEqualTo((long)(4 + 3 * Math.Abs(y * Math.Log(b))), $"{b:R}^{y:R}");

    [Theory]
    [InlineData(0.5, 3, 0.125)]
    [InlineData(0.5, 60, 8.673617379884035e-19)]
    [InlineData(1e-100, 2, 1e-200)]
    [InlineData(0.95, 7, 0.6983372960937497)]
    [InlineData(0.1, 20, 1.0000000000000011e-20)]
    public void OfInteger_IsExactWherePowersAre_AndWithinNUlpElsewhere(double b, long n, double exact) =>
        Ulps(Power.OfInteger(b, n), exact).Should().BeLessThanOrEqualTo(n, $"{b:R}^{n}");

    [Fact]
    public void BadBasesAndSteps_AreRefused()
    {
        Power.Of(0.3, 0).Should().Be(1);
        ((Action)(() => Power.Of(-2, 0.5))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Power.OneMinus(1.5, 2))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Power.OneMinus(0.9, 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Power.OfInteger(0.9, -1))).Should().Throw<ArgumentOutOfRangeException>();
        BitConverter.DoubleToInt64Bits(Power.OneMinus(1, 5)).Should().Be(0L, "1 − 1⁵ is +0");
    }
}
