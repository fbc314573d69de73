using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Losses;

/// <summary>
/// NegativeLogLikelihood: hand-computed values and gradients, SoftmaxCrossEntropy's label checks, and LogSoftmax followed
/// by it against SoftmaxCrossEntropy on the same logits.
/// </summary>
public class NegativeLogLikelihoodTests
{
    [Fact]
    public void Forward_HandComputed_IsMinusTheMeanOfTheLabelsEntries()
    {
        var loss = new NegativeLogLikelihood<double>();
        var output = TestTensors.Create(new[] { -0.5, -1.25, -3.0, -0.75, -2.0, -0.125 }, 3, 2);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, 0.0, 1.0 }, 3));

        value.Should().Be((1.25 + 3.0 + 0.125) / 3);
    }

    [Fact]
    public void Backward_HandComputed_IsMinusOneOverNAtEachLabelAndZeroElsewhere()
    {
        var loss = new NegativeLogLikelihood<double>();
        loss.Forward(TestTensors.Random<double>(1, 4, 3), TestTensors.Create(new[] { 2.0, 0.0, 0.0, 1.0 }, 4, 1));
        loss.Backward().ToArray().Should().Equal(0, 0, -0.25, -0.25, 0, 0, -0.25, 0, 0, 0, -0.25, 0);
        // A second pass over other labels: the entries of the first are cleared.
        loss.Forward(TestTensors.Random<double>(2, 4, 3), TestTensors.Create(new[] { 1.0, 1.0, 2.0, 0.0 }, 4));
        loss.Backward().ToArray().Should().Equal(0, -0.25, 0, 0, -0.25, 0, 0, 0, -0.25, -0.25, 0, 0);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 3)]
    [InlineData(6, 10)]
    public void Backward_MatchesFiniteDifferences(int batch, int classes)
    {
        var labels = Enumerable.Range(0, batch).Select(i => (double)(i * 7 % classes)).ToArray();
        var result = GradientCheck.Loss(new NegativeLogLikelihood<double>(), TestTensors.Random<double>(3, batch, classes), TestTensors.Create(labels, batch));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    public static TheoryData<int, int, double> Shapes => new() { { 1, 2, 1 }, { 6, 10, 4 }, { 64, 10, 8 }, { 5, 23, 2 }, { 3, 4, 1000 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AfterLogSoftmax_DoubleLogits_EqualsSoftmaxCrossEntropyInLossAndInputGradient(int batch, int classes, double scale) =>
        SameAsSoftmaxCrossEntropy<double>(batch, classes, scale, 1e-13);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AfterLogSoftmax_FloatLogits_EqualsSoftmaxCrossEntropyInLossAndInputGradient(int batch, int classes, double scale) =>
        SameAsSoftmaxCrossEntropy<float>(batch, classes, scale, 2e-6);

    private static void SameAsSoftmaxCrossEntropy<T>(int batch, int classes, double scale, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logits = Tensor.Create(TestTensors.Random<double>(batch + classes, batch, classes).ToArray().Select(v => T.CreateChecked(v * scale)).ToArray(), [batch, classes]);
        var labels = Tensor.Create(Enumerable.Range(0, batch).Select(i => T.CreateChecked((5 * i + 3) % classes)).ToArray(), [batch]);
        var fused = new SoftmaxCrossEntropy<T>();
        double expectedLoss = double.CreateChecked(fused.Forward(logits, labels));
        var expectedGradient = fused.Backward().ToArray().Select(double.CreateChecked).ToArray();

        var layer = new LogSoftmax<T>();
        var loss = new NegativeLogLikelihood<T>();
        double value = double.CreateChecked(loss.Forward(layer.Forward(logits, training: true), labels));
        var gradient = layer.Backward(loss.Backward()).ToArray().Select(double.CreateChecked).ToArray();

        value.Should().BeApproximately(expectedLoss, tolerance * Math.Max(1, Math.Abs(expectedLoss)));
        // Entries are at most 1/N; rounding is relative to that scale.
        gradient.Should().Equal(expectedGradient, (a, b) => Math.Abs(a - b) <= tolerance / batch);
    }

    [Fact]
    public void Weighted_HandComputed_IsTheLabelsWeightedMeanAndItsGradient()
    {
        // Labels 1, 0, 1 with weights 0.5 and 2 for classes 0 and 1: W = 2 + 0.5 + 2 = 4.5.
        var loss = new NegativeLogLikelihood<double>([0.5, 2.0]);
        var output = TestTensors.Create(new[] { -0.5, -1.25, -3.0, -0.75, -2.0, -0.125 }, 3, 2);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, 0.0, 1.0 }, 3));

        value.Should().BeApproximately((2 * 1.25 + 0.5 * 3.0 + 2 * 0.125) / 4.5, 1e-15);
        loss.Backward().ToArray().Should().Equal(0, -2 / 4.5, -0.5 / 4.5, 0, 0, -2 / 4.5);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(6, 10)]
    public void Weighted_MatchesFiniteDifferences(int batch, int classes)
    {
        var weights = Enumerable.Range(0, classes).Select(c => 0.25 + c % 3).ToArray();
        var labels = Enumerable.Range(0, batch).Select(i => (double)(i * 7 % classes)).ToArray();
        var result = GradientCheck.Loss(new NegativeLogLikelihood<double>(weights), TestTensors.Random<double>(4, batch, classes), TestTensors.Create(labels, batch));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Weighted_AfterLogSoftmax_EqualsCrossEntropyWithTheSameWeights()
    {
        double[] weights = [1.5, 0.25, 0, 2, 1];
        var logits = TestTensors.Random<double>(5, 7, 5);
        var labels = TestTensors.Create(new[] { 0.0, 1, 2, 3, 4, 3, 0 }, 7);
        var crossEntropy = new CrossEntropy<double>(weights);
        double expected = crossEntropy.Forward(logits, labels);
        var expectedGradient = crossEntropy.Backward().ToArray();

        var layer = new LogSoftmax<double>();
        var loss = new NegativeLogLikelihood<double>(weights);
        double value = loss.Forward(layer.Forward(logits, training: true), labels);

        value.Should().BeApproximately(expected, 1e-14);
        layer.Backward(loss.Backward()).ToArray().Should().Equal(expectedGradient, (a, b) => Math.Abs(a - b) <= 1e-15);
    }

    [Fact]
    public void Weighted_NoWeightOnTheBatchsLabels_IsNaNAsInPyTorch()
    {
        var loss = new NegativeLogLikelihood<float>([0.0, 1.0]);
        float value = loss.Forward(TestTensors.Random<float>(0, 2, 2), TestTensors.Create(new[] { 0f, 0f }, 2));
        float.IsNaN(value).Should().BeTrue();
    }

    [Theory]
    [InlineData(new double[0], "*must not be empty*")]
    [InlineData(new[] { 1.0, -0.5 }, "*Class weight 1 is -0.5*")]
    [InlineData(new[] { double.NaN }, "*Class weight 0 is NaN*")]
    [InlineData(new[] { double.PositiveInfinity }, "*Class weight 0 is Infinity*")]
    public void Create_BadWeights_SaysWhich(double[] weights, string message)
    {
        var act = () => new NegativeLogLikelihood<double>(weights);
        act.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be("classWeights");
    }

    [Fact]
    public void Forward_WeightsForAnotherNumberOfClasses_SaysBoth()
    {
        var loss = new NegativeLogLikelihood<double>([1.0, 2.0]);
        var act = () => loss.Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, 1.0 }, 2));
        act.Should().Throw<ArgumentException>().WithMessage("NegativeLogLikelihood(classWeights=[1, 2]): 2 class weights for 3 classes.*");
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(-1.0)]
    [InlineData(-100.0)]
    [InlineData(0.5)]
    public void Forward_LabelOutsideRange_SaysWhichLabelAndRange(double label)
    {
        // Without an ignored index, PyTorch's default ignore_index (−100) is out of range like any other.
        var act = () => new NegativeLogLikelihood<double>().Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, label }, 2));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"NegativeLogLikelihood(): label {label}*sample 1*[0, 3)*");
    }

    [Fact]
    public void Forward_NotOneLabelPerSampleOrPosition_NamesTheShapes()
    {
        var loss = new NegativeLogLikelihood<double>();
        var labels = () => loss.Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, 1.0, 2.0 }, 3));
        labels.Should().Throw<ShapeMismatchException>().WithMessage("*NegativeLogLikelihood() labels*[2]*[3]*");
        var images = () => loss.Forward(TestTensors.Random<double>(0, 2, 3, 4), TestTensors.Create(new[] { 0.0, 1.0 }, 2));
        images.Should().Throw<ShapeMismatchException>().WithMessage("*NegativeLogLikelihood() labels*[2, 4] (one class index per position: the output [2, 3, 4] without its class axis)*[2]*");
    }

    [Fact]
    public void Backward_BeforeForward_SaysSo()
    {
        var act = () => new NegativeLogLikelihood<float>().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*NegativeLogLikelihood*");
    }
}
