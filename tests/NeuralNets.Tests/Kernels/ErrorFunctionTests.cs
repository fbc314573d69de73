using MathNet.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The library's own erf (double GELU's erf form): within 8 ulp of exact, odd, saturating, NaN and signed zeros kept.</summary>
public class ErrorFunctionTests
{
    // erf x from the positive series (2/√π)e^{−x²}·x·Σ(2x²)ⁿ/(2n + 1)!! in 80-digit arithmetic, rounded to double: both
    // sides of the switch at 1.5 and the largest error of an 8,000-point sweep of a model of the same algorithm (1.434).
    public static TheoryData<double, double> Exact => new()
    {
        { 1e-10, 1.1283791670955126e-10 }, { 0.001, 0.0011283787909692365 }, { 0.1, 0.1124629160182849 }, { 0.5, 0.5204998778130465 },
        { 0.7071067811865476, 0.682689492137086 }, { 1.0, 0.8427007929497149 }, { 1.43402193907888, 0.9574411068372669 },
        { 1.5, 0.9661051464753108 }, { 2.0, 0.9953222650189527 }, { 2.49, 0.9995707121322661 }, { 2.5, 0.999593047982555 },
        { 3.0, 0.9999779095030014 }, { 4.0, 0.9999999845827421 }, { 5.5, 0.9999999999999927 }, { 5.9, 0.9999999999999999 },
    };

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Theory]
    [MemberData(nameof(Exact))]
    public void Of_IsWithinEightUlpOfExact_AndOdd(double x, double exact)
    {
        Ulps(ErrorFunction.Of(x), exact).Should().BeLessThanOrEqualTo(8, $"erf({x:R})");
        ErrorFunction.Of(-x).Should().Be(-ErrorFunction.Of(x));
    }

    [Fact]
    public void Of_AgreesWithMathNet_OverASweep()
    {
        var random = new Random(21);
        for (int i = 0; i < 20_000; i++)
        {
            double x = (random.NextDouble() * 2 - 1) * 7;
            Math.Abs(ErrorFunction.Of(x) - SpecialFunctions.Erf(x)).Should().BeLessThan(2e-15, $"erf({x:R})");
        }
    }

    [Fact]
    public void Of_SpecialValues()
    {
        double.IsNaN(ErrorFunction.Of(double.NaN)).Should().BeTrue();
        BitConverter.DoubleToInt64Bits(ErrorFunction.Of(-0.0)).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
        ErrorFunction.Of(double.PositiveInfinity).Should().Be(1);
        ErrorFunction.Of(double.NegativeInfinity).Should().Be(-1);
        ErrorFunction.Of(6.5).Should().Be(1);
        ErrorFunction.Of(4.9e-324).Should().BeGreaterThan(0);
    }
}
