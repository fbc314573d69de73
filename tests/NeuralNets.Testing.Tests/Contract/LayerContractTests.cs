using NeuralNets.Layers;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Contract;

public class LayerContractTests
{
    private static LayerContractReport Check(Mistake mistake) => LayerContract.Check(new StudentDense(3, 2, seed: 7, mistake), [3]);

    private static RuleResult Rule(LayerContractReport report, string name) => report.Rules.Single(r => r.Rule == name);

    [Fact]
    public void Check_CorrectStudentLayer_KeepsEveryRuleAndNotesSaving()
    {
        var report = Check(Mistake.None);

        report.Passed.Should().BeTrue(report.ToString());
        report.Rules.Select(r => r.Rule).Should().Equal(LayerContract.Rules);
        Rule(report, "survives save and load").Should().Be(new RuleResult("survives save and load", RuleStatus.NotChecked, SaveLoadRule.CannotSave));
    }

    [Theory]
    [InlineData(Mistake.WeightGradientNegated, "gradients match central differences", "weight [2, 3]: wrong at 6 of 6 elements: the opposite sign")]
    [InlineData(Mistake.Overwrites, "Backward adds into parameter gradients", "(the second Backward overwrote the gradient instead of adding to it")]
    [InlineData(Mistake.WritesIntoOutputGradient, "Backward leaves its argument alone", "Backward wrote into the gradient it was given: outputGradient[0, 0]: after Backward 0, before")]
    [InlineData(Mistake.WritesIntoInput, "Forward leaves its input alone", "Forward(input, training: false) wrote into its input: input[0, 0]: after Forward 0, before")]
    [InlineData(Mistake.MixesSamples, "a sample alone equals its row in a batch", "sample 0 of a batch of 4 gives another output alone")]
    [InlineData(Mistake.IgnoresShape, "bad shapes are rejected", "Forward on a batch of shape [2, 4] threw ArgumentException in StudentDense.Forward (StudentDense.cs:")]
    [InlineData(Mistake.TrainingScales, "training differs from inference only where the layer says", "although the layer's kind (StudentDense) does not say it should: output[0, 0]")]
    public void Check_StudentLayerWithOneSlip_FailsThatRuleWithTheValues(Mistake mistake, string rule, string detail)
    {
        var report = Check(mistake);

        report.Passed.Should().BeFalse(report.ToString());
        Rule(report, rule).Status.Should().Be(RuleStatus.Failed, report.ToString());
        Rule(report, rule).Detail.Should().Contain(detail);
        report.ToString().Should().Contain($"FAILED  {rule}: ");
    }

    [Theory]
    [InlineData(Mistake.BackwardReturnsTransposedShape, 4, "[4, 3]", "[3, 4]")]
    [InlineData(Mistake.BackwardReturnsFlat, 3, "[9]", "[3, 3]")]
    public void Check_BackwardReturnsRightValuesInAnotherShape_FailsOnlyTheShapeRuleNamingBothShapes(Mistake mistake, int inputs, string returned, string input)
    {
        var report = LayerContract.Check(new StudentDense(inputs, 2, seed: 7, mistake), [inputs]);

        report.Passed.Should().BeFalse(report.ToString());
        report.Failures.Should().ContainSingle(report.ToString()).Which.Should().Match<RuleResult>(r => r.Rule == "Backward returns a gradient of the input's shape"
            && r.Detail.StartsWith($"Backward returned a tensor of shape {returned} for an input of shape {input}; it must return the input's shape exactly", StringComparison.Ordinal));
        report.Blocked.Should().BeEmpty(report.ToString());
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("conv")]
    [InlineData("sigmoid")]
    [InlineData("maxpool")]
    [InlineData("softmax")]
    [InlineData("logsoftmax")]
    [InlineData("flatten")]
    [InlineData("dropout")]
    public void Check_BuiltInLayer_KeepsEveryRuleIncludingSaveAndLoad(string kind)
    {
        (ILayer<double> layer, int[] sample) = kind switch
        {
            "dense" => ((ILayer<double>)new Dense<double>(4, 3, seed: 1), new[] { 4 }),
            "conv" => (new Conv2D<double>(2, 3, (3, 3), new Random(2), (1, 1), (1, 1)), [2, 5, 4]),
            "sigmoid" => (new Sigmoid<double>(), [5]),
            "maxpool" => (new MaxPool2D<double>((2, 2), (2, 2), (0, 0)), [2, 4, 4]),
            "softmax" => (new Softmax<double>(), [4]),
            "logsoftmax" => (new LogSoftmax<double>(), [10]),
            "flatten" => (new Flatten<double>(), [2, 3]),
            _ => (new Dropout<double>(0.5, seed: 3), [6]),
        };

        var report = LayerContract.Check(layer, sample);

        report.Passed.Should().BeTrue(report.ToString());
        Rule(report, "survives save and load").Status.Should().Be(RuleStatus.Passed, report.ToString());
    }
}
