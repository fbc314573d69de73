using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Optimizers.Students;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>Slips that one parameter, a loss nobody reads and a fixed learning rate used to hide: each now fails MatchReference and says where.</summary>
public class StudentMistakeTests
{
    private static readonly ReferenceRule Adam = ReferenceRule.Adam(0.01, 0.9, 0.999, 1e-8);

    private static OptimizerComparison Compare(Func<IReadOnlyList<Parameter<double>>, IOptimizer<double>> create) => OptimizerHarness.Compare(Adam, create);

    private static string MatchReferenceMessage(OptimizerComparison comparison)
    {
        var act = () => comparison.Should().MatchReference();
        return act.Should().Throw<Exception>().Which.Message;
    }

    [Fact]
    public void MatchReference_AdamCountingStepsPerParameter_FailsOnSeveralParametersAtStepOne()
    {
        var comparison = Compare(ps => new AdamCountingPerParameter(ps, 0.01));

        comparison.Problems.Take(2).Should().OnlyContain(p => p.Agrees, "one parameter counts one step per step");
        comparison.Problems[2].PartedAt.Should().Be(1);
        MatchReferenceMessage(comparison).Should().MatchRegex(@"several parameters: parts from the reference at step 1, (bias|scale)\[\d\] = -?[\d.E-]+ where the rule gives -?[\d.E-]+ \(w\[\d+\] in the table");
    }

    [Fact]
    public void MatchReference_AdamSharingMomentsAcrossParameters_FailsOnSeveralParameters()
    {
        var comparison = Compare(ps => new AdamSharingState(ps, 0.01));

        comparison.Problems[2].PartedAt.Should().Be(1);
        MatchReferenceMessage(comparison).Should().Contain("several parameters: parts from the reference at step 1, ");
    }

    [Fact]
    public void MatchReference_AdamUpdatingOnlyTheFirstParameter_NamesAParameterLeftBehind()
    {
        var comparison = Compare(ps => new AdamFirstParameterOnly(ps, 0.01));

        var parting = comparison.Problems[2];
        parting.PartedAt.Should().Be(1);
        parting.ElementName.Should().MatchRegex(@"^(bias|scale)\[\d\]$");
        parting.Rows[^1].Actual[parting.Element].Should().Be(parting.Rows[^1].Rule.W[parting.Element], "it was left where it started");
        MatchReferenceMessage(comparison).Should().Contain(parting.ElementName);
    }

    [Fact]
    public void MatchReference_AdamReturningZero_SaysWhichStepAndBothLosses()
    {
        var comparison = Compare(ps => new AdamReturningZero(ps, 0.01));

        comparison.Problems.Should().OnlyContain(p => !p.Agrees);
        // The quadratic at (1, −1, 0.5): ½(1 + 10 + 25) + (−1 − 0.5 + 1) = 17.5.
        MatchReferenceMessage(comparison).Should().Contain(
            "quadratic: step 1 returned 0 where the reference returns 17.5: Step must return what its first call of evaluate returned (the loss before the step)");
    }

    [Fact]
    public void MatchReference_AdamIgnoringANewLearningRate_PartsAfterTheChangeAndSaysSo()
    {
        var comparison = Compare(ps => new AdamIgnoringLearningRate(ps, 0.01));

        comparison.Problems.Should().OnlyContain(p => p.PartedAt == 16, "30 steps: η is halved before step 16");
        MatchReferenceMessage(comparison).Should().Contain("; LearningRate was set from 0.01 to 0.005 before step 16; does Step read it each time?");
    }

    [Fact]
    public void ElementName_SeveralParameters_CountsRowMajorAcrossParameters()
    {
        var problem = OptimizerProblem.SeveralParameters();

        Enumerable.Range(0, 10).Select(problem.ElementName).Should().Equal(
            "weight[0, 0]", "weight[0, 1]", "weight[0, 2]", "weight[1, 0]", "weight[1, 1]", "weight[1, 2]", "bias[0]", "bias[1]", "bias[2]", "scale[0]");
        problem.Parameters.Select(p => p.Shape.Count).Should().Equal(2, 1, 1);
    }
}
