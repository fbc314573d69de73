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

    [Theory]
    [InlineData(3.0)]
    [InlineData(-1.0)]
    [InlineData(-100.0)]
    [InlineData(0.5)]
    public void Forward_LabelOutsideRange_SaysWhichLabelAndRange(double label)
    {
        // PyTorch's ignore_index (−100) has no meaning here: it is out of range like any other.
        var act = () => new NegativeLogLikelihood<double>().Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, label }, 2));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"NegativeLogLikelihood(): label {label}*sample 1*[0, 3)*");
    }

    [Fact]
    public void Forward_NotOneLabelPerSampleOrNotAMatrix_NamesTheShapes()
    {
        var loss = new NegativeLogLikelihood<double>();
        var labels = () => loss.Forward(TestTensors.Random<double>(0, 2, 3), TestTensors.Create(new[] { 0.0, 1.0, 2.0 }, 3));
        labels.Should().Throw<ShapeMismatchException>().WithMessage("*NegativeLogLikelihood() labels*[2]*[3]*");
        var images = () => loss.Forward(TestTensors.Random<double>(0, 2, 3, 4), TestTensors.Create(new[] { 0.0, 1.0 }, 2));
        images.Should().Throw<ShapeMismatchException>().WithMessage("*NegativeLogLikelihood()*[N, classes]*[2, 3, 4]*");
    }

    [Fact]
    public void Backward_BeforeForward_SaysSo()
    {
        var act = () => new NegativeLogLikelihood<float>().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*NegativeLogLikelihood*");
    }
}
