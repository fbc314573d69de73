using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>
/// Where the rule itself diverges (Rosenbrock at η = 0.01 and above), a correct optimizer diverges with it: the harness stops
/// comparing that problem there and says so, instead of blaming the optimizer or throwing.
/// </summary>
public class DivergenceTests
{
    [Fact]
    public void Compare_CorrectMomentumWhereTheRuleDiverges_PassesAndSaysWhere()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Momentum(0.01, 0.9), ps => new Momentum<double>(ps, 0.01, 0.9));

        comparison.Passed.Should().BeTrue(comparison.ToString());
        comparison.ToString().Should().Contain("the rule diverges on Rosenbrock at step").And.Contain("with η = 0.01").And.Contain("are not compared");
        comparison.Problems[1].DivergedAt.Should().NotBeNull();
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    public void Compare_CorrectSgdWhereTheRuleDiverges_Passes(double eta)
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Sgd(eta), ps => new Sgd<double>(ps, eta));

        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void Compare_CorrectMomentumAtALargeRate_DoesNotThrow()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Momentum(0.1, 0.9), ps => new Momentum<double>(ps, 0.1, 0.9));

        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void Compare_CorrectNesterovWhereTheRuleDiverges_DoesNotThrow()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Nesterov(0.01), ps => new Nesterov<double>(ps, 0.01, 0.9));

        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void Compare_CorrectFloatMomentumWhereTheRuleLeavesFloatsRange_Passes()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Momentum(0.01, 0.9), ps => new Momentum<float>(ps, 0.01f, 0.9f));

        comparison.Passed.Should().BeTrue(comparison.ToString());
        comparison.ToString().Should().Contain("the rule diverges on Rosenbrock at step");
    }

    [Fact]
    public void Compare_WrongMomentumWhereTheRuleDiverges_StillFailsBeforeIt()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Momentum(0.01, 0.9), ps => new Momentum<double>(ps, 0.01, 0.8));

        comparison.Passed.Should().BeFalse();
    }

    [Fact]
    public void WorstElement_EqualInfinitiesAndNaNs_Agree()
    {
        OptimizerHarness.WorstElement([double.PositiveInfinity, double.NaN, double.NegativeInfinity], [double.PositiveInfinity, double.NaN, double.NegativeInfinity], 1e-9)
            .Should().Be(-1);
        OptimizerHarness.WorstElement([1, double.PositiveInfinity], [1, double.NegativeInfinity], 1e-9).Should().Be(1);
    }
}
