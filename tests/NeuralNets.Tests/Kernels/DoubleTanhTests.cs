using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The library's own double tanh: within 2 ulp of the exact value, odd, saturating, and NaN and signed zeros kept.</summary>
public class DoubleTanhTests
{
    // x and tanh x, the latter computed with 60 significant digits (Python's decimal: (e^{2x} − 1)/(e^{2x} + 1)) and rounded
    // to double: points on both branches, either side of the switch at ½, and the largest error of a 40,000-point sweep (0.5137).
    public static TheoryData<double, double> Exact => new()
    {
        { 1e-12, 1e-12 }, { 3.1e-05, 3.0999999990069665e-05 }, { 0.001, 0.0009999996666668 }, { 0.0625, 0.062418746747512514 },
        { 0.2, 0.197375320224904 }, { 0.33, 0.31852077690277086 }, { 0.4999999, 0.4621170786152328 }, { 0.5, 0.46211715726000974 },
        { 0.5000001, 0.4621172359047794 }, { 0.5136926352622582, 0.47281732411633737 }, { 0.55, 0.5005202111902353 },
        { 0.75, 0.6351489523872873 }, { 1.0, 0.7615941559557649 }, { 1.5, 0.9051482536448664 }, { 2.0, 0.9640275800758169 },
        { 3.7, 0.9987782412811312 }, { 7.25, 0.9999989913051835 }, { 12.0, 0.9999999999244973 }, { 18.9, 0.9999999999999999 },
        { 0.16191638241658118, 0.1605160825299988 }, { 0.07542458696225096, 0.0752818848311761 }, { 0.3254672365199269, 0.3144420262593607 },
        { 0.03621814333377138, 0.03620231520842631 }, { 0.2679410021533446, 0.26170789615741447 }, { 0.18284445845629277, 0.18083371898058018 },
        { 0.0289994623873534, 0.02899133590644646 }, { 0.25371786659471013, 0.24841031670798258 }, { 0.6312348045469471, 0.5589018885359235 },
        { 2.0177598928183507, 0.9652610826375151 }, { 0.7444939825111663, 0.6318526461552942 }, { 0.8174955467035276, 0.6737044436815458 },
        { 1.9858171619987988, 0.9630117296204347 }, { 3.3939824363521334, 0.9977480174509474 }, { 0.9333068640237596, 0.7321319422849755 },
        { 1.2813363761245509, 0.8568405636787021 },
    };

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Theory]
    [MemberData(nameof(Exact))]
    public void Of_IsWithinTwoUlpOfTheExactTanh_AndOdd(double x, double exact)
    {
        Ulps(DoubleTanh.Of(x), exact).Should().BeLessThanOrEqualTo(2, $"tanh({x:R})");
        BitConverter.DoubleToInt64Bits(DoubleTanh.Of(-x)).Should().Be(BitConverter.DoubleToInt64Bits(-DoubleTanh.Of(x)), "tanh is odd");
    }

    [Fact]
    public void Of_StaysWithinThreeUlpOfTheCLibrary_OverASweep()
    {
        // The C library's tanh is itself within about an ulp; three leaves room for both.
        var random = new Random(5);
        for (int i = 0; i < 20_000; i++)
        {
            double x = (random.NextDouble() * 2 - 1) * (i % 4) switch { 0 => 0.5, 1 => 1.2, 2 => 6, _ => 25 };
            Ulps(DoubleTanh.Of(x), Math.Tanh(x)).Should().BeLessThanOrEqualTo(3, $"tanh({x:R})");
        }
    }

    [Fact]
    public void Of_SpecialValues()
    {
        double.IsNaN(DoubleTanh.Of(double.NaN)).Should().BeTrue();
        BitConverter.DoubleToInt64Bits(DoubleTanh.Of(0.0)).Should().Be(0L);
        BitConverter.DoubleToInt64Bits(DoubleTanh.Of(-0.0)).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
        DoubleTanh.Of(double.PositiveInfinity).Should().Be(1.0);
        DoubleTanh.Of(double.NegativeInfinity).Should().Be(-1.0);
        DoubleTanh.Of(19.2).Should().Be(1.0);
        DoubleTanh.Of(-700).Should().Be(-1.0);
        DoubleTanh.Of(4.9e-324).Should().Be(4.9e-324, "a subnormal's tanh is itself");
        DoubleTanh.Of(-1e-300).Should().Be(-1e-300);
    }

    [Fact]
    public void Of_NeverDecreases_AcrossTheSwitchFromSeriesToExponential()
    {
        double previous = DoubleTanh.Of(0.49);
        for (double x = 0.49; x <= 0.51; x += 1e-6)
        {
            double y = DoubleTanh.Of(x);
            y.Should().BeGreaterThanOrEqualTo(previous, $"tanh({x:R})");
            previous = y;
        }
        DoubleTanh.Of(Math.BitDecrement(0.5)).Should().BeLessThanOrEqualTo(DoubleTanh.Of(0.5));
    }
}
