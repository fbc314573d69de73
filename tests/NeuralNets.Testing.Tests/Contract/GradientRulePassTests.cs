using NeuralNets.Layers;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>The gradient rule checks the pass it differentiates: training mode where it differs, and no state of an older pass.</summary>
public class GradientRulePassTests
{
    private const string Gradients = "gradients match central differences";

    private static RuleResult Rule(LayerContractReport report, string name) => report.Rules.Single(r => r.Rule == name);

    [Fact]
    public void Check_BatchNormWhoseBackwardIgnoresTheBatchStatistics_FailsInTrainingMode()
    {
        var report = LayerContract.Check(new StudentNormalize(), [4]);

        Rule(report, Gradients).Status.Should().Be(RuleStatus.Failed, report.ToString());
        Rule(report, Gradients).Detail.Should().Contain("training: true");
    }

    [Fact]
    public void Check_DropoutWhoseBackwardDropsTheMask_FailsInTrainingMode()
    {
        var report = LayerContract.Check(new MaskLosingDropout(0.5, seed: 3), [6]);

        Rule(report, Gradients).Status.Should().Be(RuleStatus.Failed, report.ToString());
        Rule(report, Gradients).Detail.Should().Contain("training: true");
    }

    [Fact]
    public void Check_LibraryDropout_PassesInTrainingModeToo()
    {
        var report = LayerContract.Check(new Dropout<double>(0.5, seed: 3), [6]);

        Rule(report, Gradients).Should().Match<RuleResult>(r => r.Status == RuleStatus.Passed && r.Detail.Contains("in inference and training mode"), report.ToString());
    }

    [Fact]
    public void Check_BackwardThatReadsTheForwardBeforeTheLast_Fails()
    {
        var report = LayerContract.Check(new StaleSigmoid(), [5]);

        Rule(report, Gradients).Status.Should().Be(RuleStatus.Failed, report.ToString());
    }

    [Fact]
    public void Check_NetworkHoldingDropoutAndBatchNorm_MayDifferInTrainingMode()
    {
        var network = Network.Sequential<double>(4).Dense(5).BatchNorm1D().Tanh().Dropout(0.5).Dense(2).Build(seed: 1);

        var report = LayerContract.Check(network, [4]);

        Rule(report, "training differs from inference only where the layer says").Status.Should().Be(RuleStatus.Passed, report.ToString());
        Rule(report, Gradients).Status.Should().Be(RuleStatus.Passed, report.ToString());
    }

    [Fact]
    public void Check_DropoutDrawingFromItsOwnRandom_FailsSayingTrainingModeCouldNotBeCheckedAndHowToMakeItCheckable()
    {
        var report = LayerContract.Check(new StudentDropout(0.5, seed: 3), [6], new LayerContractOptions { TrainingDiffers = true });

        report.Passed.Should().BeFalse(report.ToString());
        report.ToString().Should().NotContain("keeps the layer contract").And.NotContain("ok      " + Gradients);
        Rule(report, Gradients).Status.Should().Be(RuleStatus.Failed, report.ToString());
        Rule(report, Gradients).Detail.Should().StartWith("training mode could not be checked: two Forward(input, training: true) passes on the same input of shape [3, 6] differ")
            .And.Contain("(inference mode matches: ").And.Contain("implement IRandomStreamLayer and draw each training pass from a generator made from the layer's seed and RandomPosition");
    }

    [Fact]
    public void Check_DropoutDrawingFromARewindableStream_ChecksTrainingModeAndKeepsTheContract()
    {
        var report = LayerContract.Check(new RewindableStudentDropout(0.5, seed: 3), [6], new LayerContractOptions { TrainingDiffers = true });

        Rule(report, Gradients).Should().Match<RuleResult>(r => r.Status == RuleStatus.Passed && r.Detail.Contains("in inference and training mode", StringComparison.Ordinal), report.ToString());
    }
}
