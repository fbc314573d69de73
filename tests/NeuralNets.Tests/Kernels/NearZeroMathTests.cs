using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The library's own eˣ − 1 and ln(1 + y): accurate near zero, where the plain formulas cancel, and elsewhere.</summary>
public class NearZeroMathTests
{
    // Exact values (Python's decimal, 60 digits, rounded to double).
    public static TheoryData<double, double> ExpM1Exact => new()
    {
        { 1e-10, 1.00000000005e-10 }, { -1e-10, -9.999999999500001e-11 }, { 0.001, 0.0010005001667083417 }, { -0.001, -0.0009995001666250085 },
        { 0.1, 0.10517091807564763 }, { -0.1, -0.09516258196404043 }, { 0.3, 0.3498588075760031 }, { -0.3, -0.2591817793182821 },
        { 0.4999, 0.6485564068163897 }, { -0.4999, -0.39340868418864094 }, { 0.5, 0.6487212707001282 }, { -0.5, -0.3934693402873666 },
        { 0.75, 1.1170000166126746 }, { -0.75, -0.5276334472589853 }, { 1.0, 1.7182818284590453 }, { -1.0, -0.6321205588285577 },
        { 3.0, 19.085536923187668 }, { -3.0, -0.950212931632136 }, { 10.0, 22025.465794806718 }, { -10.0, -0.9999546000702375 },
        { -35.0, -0.9999999999999993 },
    };

    public static TheoryData<double, double> LogP1Exact => new()
    {
        { 1e-10, 9.999999999500001e-11 }, { 0.001, 0.0009995003330835331 }, { 0.1, 0.09531017980432487 }, { 0.3, 0.26236426446749106 },
        { 0.4999, 0.40539843921917673 }, { 0.5, 0.4054651081081644 }, { 0.50001, 0.40547177475260887 }, { 0.75, 0.5596157879354227 },
        { 2.0, 1.0986122886681098 }, { 10.0, 2.3978952727983707 }, { 1000000.0, 13.815511557963774 }, { -1e-10, -1.00000000005e-10 },
        { -0.001, -0.0010005003335835335 }, { -0.1, -0.10536051565782631 }, { -0.2499, -0.28754874800654645 }, { -0.25, -0.2876820724517809 },
        { -0.2501, -0.2878154146747933 }, { -0.5, -0.6931471805599453 }, { -0.9, -2.302585092994046 }, { -0.999, -6.907755278982136 },
    };

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Theory]
    [MemberData(nameof(ExpM1Exact))]
    public void ExpM1_IsWithinTwoUlpOfExact(double x, double exact) =>
        Ulps(ExponentialMinusOne.Of(x), exact).Should().BeLessThanOrEqualTo(2, $"e^{x:R} − 1");

    [Theory]
    [MemberData(nameof(LogP1Exact))]
    public void LogP1_IsWithinThreeUlpOfExact(double y, double exact) =>
        Ulps(LogarithmOfOnePlus.Of(y), exact).Should().BeLessThanOrEqualTo(3, $"ln(1 + {y:R})");

    [Fact]
    public void Both_AgreeWithThePlainFormulasWhereTheyCannotCancel_AndInvertEachOther()
    {
        // .NET's double.ExpM1 and double.LogP1 are eˣ − 1 and ln(1 + y) as written (ExpM1(1e-10) is off by 8e-8 relative,
        // LogP1(1e-18) is 0), so the plain formulas serve only where they lose nothing: |x| ≥ ½ and 1 + y far from 1.
        var random = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            double r = random.NextDouble();
            double x = (i % 2 == 0 ? 1 : -1) * (0.5 + r * 30);
            Ulps(ExponentialMinusOne.Of(x), Math.Exp(x) - 1).Should().BeLessThanOrEqualTo(3, $"e^{x:R} − 1");
            double y = i % 2 == 0 ? 0.5 + r * 1000 : -0.5 - r * 0.49;
            Ulps(LogarithmOfOnePlus.Of(y), Math.Log(1 + y)).Should().BeLessThanOrEqualTo(3, $"ln(1 + {y:R})");
            // Near zero: ln(1 + (eᵗ − 1)) = t.
            double t = (r * 2 - 1) * Math.Pow(10, -(i % 12));
            Ulps(LogarithmOfOnePlus.Of(ExponentialMinusOne.Of(t)), t).Should().BeLessThanOrEqualTo(4, $"t = {t:R}");
        }
    }

    [Fact]
    public void SpecialValues()
    {
        BitConverter.DoubleToInt64Bits(ExponentialMinusOne.Of(-0.0)).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
        double.IsNaN(ExponentialMinusOne.Of(double.NaN)).Should().BeTrue();
        ExponentialMinusOne.Of(double.NegativeInfinity).Should().Be(-1);
        ExponentialMinusOne.Of(-50).Should().Be(-1);
        ExponentialMinusOne.Of(double.PositiveInfinity).Should().Be(double.PositiveInfinity);
        ExponentialMinusOne.Of(1e-320).Should().Be(1e-320, "a subnormal x: eˣ − 1 is x");
        BitConverter.DoubleToInt64Bits(LogarithmOfOnePlus.Of(-0.0)).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
        double.IsNaN(LogarithmOfOnePlus.Of(double.NaN)).Should().BeTrue();
        double.IsNaN(LogarithmOfOnePlus.Of(-1.5)).Should().BeTrue();
        LogarithmOfOnePlus.Of(-1).Should().Be(double.NegativeInfinity);
        LogarithmOfOnePlus.Of(double.PositiveInfinity).Should().Be(double.PositiveInfinity);
        LogarithmOfOnePlus.Of(1e-320).Should().Be(1e-320, "a subnormal y: ln(1 + y) is y");
    }
}
