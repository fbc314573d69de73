using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests;

public class KitTextTests
{
    [Theory]
    [InlineData(1e-8, "1e-8")]
    [InlineData(2.5e-7, "2.5e-7")]
    [InlineData(-1e-6, "-1e-6")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.9, "0.9")]
    [InlineData(-0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    public void Setting_Value_IsWrittenAsPeopleWriteIt(double value, string text)
    {
        KitText.Setting(value).Should().Be(text);
    }

    [Fact]
    public void Format_NegativeZeroWithAFormat_LosesItsSign()
    {
        double dropped = -1.5 * 0.0;  // what a dropped or rectified negative element is

        KitText.Format($"{dropped:G10} and {-2.5:G10}").Should().Be("0 and -2.5");
    }

    [Fact]
    public void ReferenceRuleAdam_DefaultEpsilon_PrintsLikeTheTolerances()
    {
        ReferenceRule.Adam(learningRate: 0.001).ToString().Should().Be("Adam (η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8)");
    }

    [Fact]
    public void FirstDifference_ExpectedNegativeZero_ShowsZero()
    {
        string? difference = ContractTensors.FirstDifference("output", [2], [1.0, 3.0], [1.0, -0.0], 1e-9, "yours", "reference");

        difference.Should().Be("output[1]: yours 3, reference 0");
    }
}
