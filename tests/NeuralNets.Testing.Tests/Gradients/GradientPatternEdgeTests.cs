using NeuralNets.Diagnostics;
using NeuralNets.Testing.Gradients;

namespace NeuralNets.Testing.Tests.Gradients;

/// <summary>What the diagnosis says where no pattern should be claimed: NaN or infinite derivatives, and a factor that rounds to 1.</summary>
public class GradientPatternEdgeTests
{
    private static string? Describe(double[] analytic, double[] numeric) =>
        GradientPattern.Describe(new GradientCheckTensor("weight", [2, 2], analytic, numeric, 1e-6), batch: 3);

    [Fact]
    public void Describe_NaNFromBackward_NamesTheElementAndClaimsNoPattern()
    {
        string? text = Describe([1, double.NaN, 3, double.PositiveInfinity], [1, 2, 3, 4]);

        text.Should().Be("Backward gave NaN at weight[0, 1] (2 of 4 elements are NaN or infinite)");
    }

    [Fact]
    public void Describe_AllNaN_DoesNotCallItATranspose()
    {
        string? text = Describe([double.NaN, double.NaN, double.NaN, double.NaN], [1, 2, 3, 4]);

        text.Should().StartWith("Backward gave NaN at weight[0, 0]").And.NotContain("transpose").And.NotContain("times");
    }

    [Fact]
    public void Describe_InfiniteCentralDifference_SaysTheOutputIsNotFinite()
    {
        string? text = Describe([1, 2, 3, 4], [1, double.NegativeInfinity, 3, 4]);

        text.Should().Contain("not finite").And.Contain("-Infinity at weight[0, 1]");
    }

    [Fact]
    public void Describe_FactorThatRoundsToOne_NeverSaysAboutOneTimes()
    {
        string? text = Describe([1.001, 2.002, 3.003, 4.004], [1, 2, 3, 4]);

        text.Should().NotContain("about 1 times").And.StartWith("close to the right one overall");
    }
}
