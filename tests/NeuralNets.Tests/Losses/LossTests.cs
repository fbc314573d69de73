using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Losses;

public class LossTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 3)]
    [InlineData(5, 10)]
    public void MeanSquaredError_Backward_MatchesFiniteDifferences(int batch, int outputs)
    {
        var result = GradientCheck.Loss(new MeanSquaredError<double>(), TestTensors.Random<double>(1, batch, outputs), TestTensors.Random<double>(2, batch, outputs));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 3)]
    [InlineData(6, 10)]
    public void SoftmaxCrossEntropy_Backward_MatchesFiniteDifferences(int batch, int classes)
    {
        var labels = Enumerable.Range(0, batch).Select(i => (double)(i * 7 % classes)).ToArray();
        var result = GradientCheck.Loss(new SoftmaxCrossEntropy<double>(), TestTensors.Random<double>(3, batch, classes), TestTensors.Create(labels, batch));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(3, 4)]
    public void BinaryCrossEntropyWithLogits_Backward_MatchesFiniteDifferences(int batch, int outputs)
    {
        var targets = TestTensors.Random<double>(4, batch, outputs).ToArray().Select(v => v > 0 ? 1.0 : 0.0).ToArray();
        var result = GradientCheck.Loss(new BinaryCrossEntropyWithLogits<double>(), TestTensors.Random<double>(5, batch, outputs), TestTensors.Create(targets, batch, outputs));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void SoftmaxCrossEntropy_HandComputed_MatchesFormula()
    {
        // Row 1: logits (1, 2, 3), label 2; row 2: logits (0, 0, 0), label 0.
        double expected = ((Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3) + Math.Log(3)) / 2;
        var loss = new SoftmaxCrossEntropy<double>().Forward(TestTensors.Create(new double[] { 1, 2, 3, 0, 0, 0 }, 2, 3), TestTensors.Create(new double[] { 2, 0 }, 2));
        loss.Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(9)]
    public void SoftmaxCrossEntropy_NaNLogitAnywhereInARow_LossIsNaN(int position)
    {
        // Divergence detection relies on this, whichever element of the row the row maximum meets first.
        var logits = Enumerable.Range(0, 2 * 10).Select(i => (float)Math.Sin(i)).ToArray();
        logits[10 + position] = float.NaN;
        float value = new SoftmaxCrossEntropy<float>().Forward(TestTensors.Create(logits, 2, 10), TestTensors.Create(new[] { 3f, 7f }, 2));
        float.IsNaN(value).Should().BeTrue();
    }

    [Theory]
    [InlineData(1000.0)]
    [InlineData(-1000.0)]
    public void SoftmaxCrossEntropy_LogitsOfMagnitude1000_StayFiniteAndExact(double scale)
    {
        var loss = new SoftmaxCrossEntropy<float>();
        // Logits (s, 0, -s) with label 1: loss = log(e^s + 1 + e^-s) ≈ |s|.
        float value = loss.Forward(TestTensors.Create(new[] { (float)scale, 0f, (float)-scale }, 1, 3), TestTensors.Create(new[] { 1f }, 1));
        value.Should().BeApproximately((float)Math.Abs(scale), 1e-3f);
        loss.Backward().ToArray().Should().OnlyContain(g => float.IsFinite(g));
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_LargeLogits_StayFinite()
    {
        var loss = new BinaryCrossEntropyWithLogits<double>();
        double value = loss.Forward(TestTensors.Create(new[] { 1000.0, -1000.0 }, 2, 1), TestTensors.Create(new[] { 0.0, 1.0 }, 2, 1));
        value.Should().BeApproximately(1000.0, 1e-9);
    }

    [Fact]
    public void MeanSquaredError_HandComputed_IsMeanOverAllElements()
    {
        var value = new MeanSquaredError<double>().Forward(TestTensors.Create(new double[] { 1, 2, 3, 4 }, 2, 2), TestTensors.Create(new double[] { 0, 2, 5, 4 }, 2, 2));
        value.Should().Be((1.0 + 0 + 4 + 0) / 4);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(-1.0)]
    [InlineData(0.5)]
    public void SoftmaxCrossEntropy_LabelOutsideRange_SaysWhichLabelAndRange(double label)
    {
        var act = () => new SoftmaxCrossEntropy<double>().Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, label }, 2));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*label {label}*sample 1*[0, 3)*");
    }

    [Fact]
    public void MeanSquaredError_TargetShapeMismatch_NamesBothShapes()
    {
        var act = () => new MeanSquaredError<double>().Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Random<double>(0, 2, 4));
        act.Should().Throw<ShapeMismatchException>().WithMessage("*[2, 3]*[2, 4]*");
    }
}
