using NeuralNets.Diagnostics;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Losses;

/// <summary>Huber, L1 and cross-entropy with class weights and label smoothing: gradient checks, hand values and bad input.</summary>
public class NewLossTests
{
    [Fact]
    public void GradientChecks_Pass()
    {
        var output = TestTensors.Random<double>(1, 4, 5);
        var target = TestTensors.Random<double>(2, 4, 5);
        GradientCheck.Loss(new Huber<double>(0.3), output, target).MaxRelativeError.Should().BeLessThan(1e-7);
        GradientCheck.Loss(new L1Loss<double>(), output, target).MaxRelativeError.Should().BeLessThan(1e-7);
        var labels = TestTensors.Create(new[] { 4.0, 0, 2, 2 }, 4);
        GradientCheck.Loss(new CrossEntropy<double>([1, 0.5, 2, 0, 3], labelSmoothing: 0.2), output, labels).MaxRelativeError.Should().BeLessThan(1e-7);
    }

    [Fact]
    public void Huber_And_L1_HandValues()
    {
        var output = TestTensors.Create(new[] { 0.5, 3.0, -2.0, 1.0 }, 2, 2);
        var target = TestTensors.Create(new[] { 0.0, 0.0, 0.0, 1.0 }, 2, 2);
        // d = 0.5, 3, −2, 0 with δ = 1: ½·0.25, 3 − ½, 2 − ½, 0.
        new Huber<double>().Forward(output, target).Should().BeApproximately((0.125 + 2.5 + 1.5) / 4, 1e-15);
        var l1 = new L1Loss<double>();
        l1.Forward(output, target).Should().BeApproximately(5.5 / 4, 1e-15);
        l1.Backward().ToArray().Should().Equal([0.25, 0.25, -0.25, 0.0], "sign(0) = 0, as in PyTorch");
    }

    [Fact]
    public void CrossEntropy_NoWeightsNoSmoothing_EqualsSoftmaxCrossEntropy()
    {
        var logits = TestTensors.Random<double>(3, 6, 4);
        var labels = TestTensors.Create(new[] { 0.0, 3, 1, 2, 2, 0 }, 6);
        var plain = new SoftmaxCrossEntropy<double>();
        var general = new CrossEntropy<double>();
        general.Forward(logits, labels).Should().BeApproximately(plain.Forward(logits, labels), 1e-14);
        general.Backward().ToArray().Should().Equal(plain.Backward().ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void CrossEntropy_BadSettings_AreRefused()
    {
        ((Action)(() => new CrossEntropy<double>(labelSmoothing: 1.5))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new CrossEntropy<double>([1, double.NaN]))).Should().Throw<ArgumentException>().WithMessage("*Class weight 1*");
        var wrongCount = () => new CrossEntropy<double>([1, 2]).Forward(TestTensors.Random<double>(1, 2, 3), TestTensors.Create(new[] { 0.0, 1 }, 2));
        wrongCount.Should().Throw<ArgumentException>().WithMessage("*2 class weights for 3 classes*");
        var badLabel = () => new CrossEntropy<double>().Forward(TestTensors.Random<double>(1, 2, 3), TestTensors.Create(new[] { 0.0, 3 }, 2));
        badLabel.Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new Huber<double>(0))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
