using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>One slip that spoils several rules is reported once, as the cause; the rules it spoils are blocked by it.</summary>
public class RuleBlameTests
{
    private static LayerContractReport Check(Mistake mistake) => LayerContract.Check(new StudentDense(3, 2, seed: 7, mistake), [3]);

    [Fact]
    public void Check_ForwardThatThrows_FailsTheFirstRuleAndBlocksEveryOther()
    {
        var report = LayerContract.Check(new NotYetWritten(), [3]);

        report.Failures.Should().ContainSingle().Which.Should().Match<RuleResult>(r =>
            r.Rule == "Forward leaves its input alone" && r.Detail.StartsWith("threw NotImplementedException in NotYetWritten.Forward (NotYetWritten.cs:", StringComparison.Ordinal), report.ToString());
        report.Blocked.Should().HaveCount(LayerContract.Rules.Count - 1, report.ToString())
            .And.OnlyContain(r => r.BlockedBy == "Forward leaves its input alone" && r.Detail.StartsWith("not judged until \"Forward leaves its input alone\" passes: it stopped at the same NotImplementedException in NotYetWritten.Forward", StringComparison.Ordinal));
        report.Passed.Should().BeFalse();
        report.ToString().Should().StartWith("NeuralNets.Testing.Tests.Layers.NotYetWritten with samples of shape [3]: breaks 1 of 11 rules of the layer contract (10 more not judged until it passes)");
    }

    [Fact]
    public void Check_ForwardWritingIntoItsInput_BlocksTheRulesThatPassAnInputTwice()
    {
        var report = Check(Mistake.WritesIntoInput);

        report.Failures.Select(r => r.Rule).Should().Equal(["Forward leaves its input alone"], report.ToString());
        report.Blocked.Select(r => r.Rule).Should().Equal(["inference is deterministic", "a sample alone equals its row in a batch", "training differs from inference only where the layer says"], report.ToString());
        report.Blocked.First().Detail.Should().StartWith(
            "not judged until \"Forward leaves its input alone\" passes: this check passes one input to Forward more than once\n(what it saw: two calls of Forward(input, training: false) on the same input differ: output[0, 0]");
    }

    [Fact]
    public void Check_InferenceThatDrifts_BlocksTheRulesThatCompareRepeatedPasses()
    {
        var report = Check(Mistake.DriftsInInference);

        report.Failures.Select(r => r.Rule).Should().Equal(["inference is deterministic"], report.ToString());
        report.Blocked.Should().Contain(r => r.Rule == "gradients match central differences", report.ToString())
            .And.OnlyContain(r => r.BlockedBy == "inference is deterministic" && r.Detail.StartsWith("not judged until \"inference is deterministic\" passes: this check compares outputs of Forward on the same input", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BackwardThatFreesItsCachedInput_FailsAddsAndBlocksLeavesItsArgument()
    {
        var report = Check(Mistake.ForgetsInputAfterBackward);

        report.Failures.Should().ContainSingle().Which.Should().Match<RuleResult>(r => r.Rule == "Backward adds into parameter gradients"
            && r.Detail.StartsWith("Backward must work again after one Forward (the contract calls it twice to see it add), so keep what it reads, such as the cached input, until the next Forward; the second Backward threw IndexOutOfRangeException in StudentDense.Backward (StudentDense.cs:", StringComparison.Ordinal), report.ToString());
        report.Blocked.Should().ContainSingle().Which.Should().Be(new RuleResult("Backward leaves its argument alone", RuleStatus.Blocked,
            "not judged until \"Backward adds into parameter gradients\" passes: the first Backward left its argument alone, the second threw") { BlockedBy = "Backward adds into parameter gradients" });
        report.ToString().Should().Contain("breaks 1 of 11 rules of the layer contract (1 more not judged until it passes)\n  FAILED  Backward adds into parameter gradients: ")
            .And.Contain("\n  blocked Backward leaves its argument alone: not judged");
    }

    [Fact]
    public void Check_BackwardThatThrowsEveryTime_FailsTheGradientRuleAndBlocksBackwardsRules()
    {
        var report = Check(Mistake.IndexesPastTheEnd);

        report.Failures.Select(r => r.Rule).Should().Equal(["gradients match central differences"], report.ToString());
        report.Blocked.Select(r => r.Rule).Should().Equal(["Backward adds into parameter gradients", "Backward leaves its argument alone", "Backward returns a gradient of the input's shape"], report.ToString());
    }
}
