using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Losses;

/// <summary>
/// CrossEntropy and NegativeLogLikelihood with an ignored index and on K-dimensional outputs <c>[N, C, d1, …]</c> against
/// labels <c>[N, d1, …]</c>: hand-computed values, finite differences, the same as the rows laid out as <c>[N·d1·…, C]</c>,
/// PyTorch's NaN when every label is ignored, and the checks of labels and shapes.
/// </summary>
public class DenseClassLossTests
{
    [Fact]
    public void NegativeLogLikelihood_IgnoredLabels_LeftOutOfTheMeanAndTheGradient()
    {
        var loss = new NegativeLogLikelihood<double>(ignoreIndex: -100);
        var output = TestTensors.Create(new[] { -0.5, -1.25, -3.0, -0.75, -2.0, -0.125 }, 3, 2);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, -100.0, 1.0 }, 3));

        value.Should().Be((1.25 + 0.125) / 2);
        loss.Backward().ToArray().Should().Equal(0, -0.5, 0, 0, 0, -0.5);
    }

    [Fact]
    public void NegativeLogLikelihood_WeightsAndAnIgnoredClassInRange_WeighOnlyTheOthers()
    {
        // Class 0 is the ignored index: its labels count for nothing, weights of 2 and 0.5 for classes 1 and 2.
        var loss = new NegativeLogLikelihood<double>([4.0, 2.0, 0.5], ignoreIndex: 0);
        var output = TestTensors.Create(new[] { -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0, -9.0 }, 3, 3);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, 0.0, 2.0 }, 3));

        value.Should().Be((2 * 2.0 + 0.5 * 9.0) / 2.5);
        loss.Backward().ToArray().Should().Equal(0, -2 / 2.5, 0, 0, 0, 0, 0, 0, -0.5 / 2.5);
    }

    [Fact]
    public void NegativeLogLikelihood_Image_IsTheMeanOverEveryPixelOfItsLabelsChannel()
    {
        // [N = 1, C = 2, H = 1, W = 3]: channel 0 then channel 1, each three pixels; labels [1, 1, 3].
        var loss = new NegativeLogLikelihood<double>();
        var output = TestTensors.Create(new[] { -0.25, -0.5, -1.0, -2.0, -4.0, -8.0 }, 1, 2, 1, 3);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, 0.0, 1.0 }, 1, 1, 3));

        value.Should().Be((2.0 + 0.5 + 8.0) / 3);
        loss.Backward().ToArray().Should().Equal(0, -1.0 / 3, 0, -1.0 / 3, 0, -1.0 / 3);
    }

    [Fact]
    public void CrossEntropy_IgnoredLabel_HandComputed()
    {
        // Two classes, logits (0, ln 3) and (5, 7); the second label ignored: L = −log(3/4), dL/dz = (1/4, 3/4 − 1) and 0.
        var loss = new CrossEntropy<double>(ignoreIndex: 9);
        var output = TestTensors.Create(new[] { 0, Math.Log(3), 5.0, 7.0 }, 2, 2);

        double value = loss.Forward(output, TestTensors.Create(new[] { 1.0, 9.0 }, 2));

        value.Should().BeApproximately(-Math.Log(0.75), 1e-15);
        loss.Backward().ToArray().Should().Equal(new[] { 0.25, -0.25, 0, 0 }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    public static TheoryData<double[]?, double, int?> Settings => new()
    {
        { null, 0.0, null }, { null, 0.0, -100 }, { [0.5, 2.0, 1.0, 0.25], 0.0, -100 }, { null, 0.2, 3 }, { [0.5, 2.0, 1.0, 0.25], 0.1, -100 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void CrossEntropy_KDimensional_EqualsTheSameLossOnItsPositionsAsRows(double[]? weights, double smoothing, int? ignoreIndex) =>
        SameAsRows(() => new CrossEntropy<double>(weights, smoothing, ignoreIndex), TestTensors.Random<double>(7, 2, 4, 3, 5), ignoreIndex);

    [Theory]
    [MemberData(nameof(Settings))]
    public void NegativeLogLikelihood_KDimensional_EqualsTheSameLossOnItsPositionsAsRows(double[]? weights, double smoothing, int? ignoreIndex)
    {
        if (smoothing != 0) return; // no smoothing in NLL: the rows without it are covered by the other cases
        SameAsRows(() => new NegativeLogLikelihood<double>(weights, ignoreIndex), TestTensors.Random<double>(8, 3, 4, 7), ignoreIndex);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void CrossEntropy_KDimensional_BackwardMatchesFiniteDifferences(double[]? weights, double smoothing, int? ignoreIndex)
    {
        var output = TestTensors.Random<double>(9, 2, 4, 2, 3);
        var result = GradientCheck.Loss(new CrossEntropy<double>(weights, smoothing, ignoreIndex), output, Labels(output, ignoreIndex));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-100)]
    [InlineData(2)]
    public void NegativeLogLikelihood_KDimensional_BackwardMatchesFiniteDifferences(int? ignoreIndex)
    {
        var output = TestTensors.Random<double>(10, 3, 4, 5);
        var result = GradientCheck.Loss(new NegativeLogLikelihood<double>([0.5, 2.0, 1.0, 0.25], ignoreIndex), output, Labels(output, ignoreIndex));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    /// <summary>PyTorch 1.13 gives NaN (0/0) and a zero gradient when every label is ignored, with or without weights and smoothing.</summary>
    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.2)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.2)]
    public void EveryLabelIgnored_LossIsNaNAndGradientZero(bool weighted, double smoothing)
    {
        double[]? weights = weighted ? [0.5, 2.0, 1.0] : null;
        var output = TestTensors.Random<double>(11, 2, 3, 2);
        var labels = TestTensors.Create(new[] { -100.0, -100.0, -100.0, -100.0 }, 2, 2);
        ILoss<double>[] losses = [new CrossEntropy<double>(weights, smoothing, ignoreIndex: -100), new NegativeLogLikelihood<double>(weights, ignoreIndex: -100)];
        foreach (var loss in losses)
        {
            double.IsNaN(loss.Forward(output, labels)).Should().BeTrue(loss.ToString());
            loss.Backward().ToArray().Should().OnlyContain(g => g == 0, loss.ToString());
        }
    }

    [Fact]
    public void Float_KDimensional_AgreesWithDouble()
    {
        var output = TestTensors.Random<double>(12, 2, 4, 3, 3);
        var labels = Labels(output, -1);
        var lossD = new CrossEntropy<double>([1.0, 0.5, 2.0, 1.5], 0.1, ignoreIndex: -1);
        var lossF = new CrossEntropy<float>([1.0, 0.5, 2.0, 1.5], 0.1, ignoreIndex: -1);

        double valueD = lossD.Forward(output, labels);
        float valueF = lossF.Forward(ToFloat(output), ToFloat(labels));

        valueF.Should().BeApproximately((float)valueD, 1e-6f);
        lossF.Backward().ToArray().Should().Equal(lossD.Backward().ToArray().Select(g => (float)g), (a, b) => Math.Abs(a - b) < 1e-6f);
        var nllD = new NegativeLogLikelihood<double>([1.0, 0.5, 2.0, 1.5], ignoreIndex: -1);
        var nllF = new NegativeLogLikelihood<float>([1.0, 0.5, 2.0, 1.5], ignoreIndex: -1);
        nllF.Forward(ToFloat(output), ToFloat(labels)).Should().BeApproximately((float)nllD.Forward(output, labels), 1e-6f);
        nllF.Backward().ToArray().Should().Equal(nllD.Backward().ToArray().Select(g => (float)g), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Forward_SameInputsTwice_SameBits()
    {
        var output = TestTensors.Random<float>(13, 4, 5, 6, 6);
        var labels = ToFloat(Labels(TestTensors.Random<double>(13, 4, 5, 6, 6), 255));
        var loss = new CrossEntropy<float>(null, 0.1, ignoreIndex: 255);
        float first = loss.Forward(output, labels);
        var gradient = loss.Backward().ToArray();

        loss.Forward(output, labels).Should().Be(first);
        loss.Backward().ToArray().Should().Equal(gradient);
    }

    [Fact]
    public void WithoutAnIgnoredIndex_TorchsMinus100_IsRefusedAsOutOfRange()
    {
        var act = () => new CrossEntropy<double>().Forward(TestTensors.Random<double>(1, 2, 3), TestTensors.Create(new[] { 1.0, -100.0 }, 2));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label -100 of sample 1 is outside the class range [0, 3).*");
    }

    [Fact]
    public void AnotherIgnoredIndex_OtherLabelsOutOfRange_AreRefusedNamingIt()
    {
        var act = () => new NegativeLogLikelihood<double>(ignoreIndex: 255).Forward(
            TestTensors.Random<double>(1, 2, 3, 2, 2), TestTensors.Create(new[] { 255.0, 0, 1, 2, 0, 255, -100, 1 }, 2, 2, 2));

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*label -100 at target index 6 (sample 1) is outside the class range [0, 3) and is not the ignored index 255.*");
    }

    [Theory]
    [InlineData(new[] { 2, 4, 5, 1 })]
    [InlineData(new[] { 2, 20 })]
    [InlineData(new[] { 2, 4, 4 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 40 })]
    public void KDimensional_TargetNotTheOutputWithoutItsClassAxis_FailsNamingBothShapes(int[] targetShape)
    {
        var targets = new double[targetShape.Aggregate(1, (a, b) => a * b)];
        var act = () => new CrossEntropy<double>().Forward(TestTensors.Random<double>(1, 2, 3, 4, 5), TestTensors.Create(targets, targetShape));

        act.Should().Throw<ShapeMismatchException>().WithMessage(
            $"CrossEntropy(labelSmoothing=0) labels: expected input of shape [2, 4, 5] (one class index per position: the output [2, 3, 4, 5] without its class axis) but got [{string.Join(", ", targetShape)}].");
    }

    [Fact]
    public void OutputOfRankOne_FailsNamingTheShapesItTakes()
    {
        var act = () => new NegativeLogLikelihood<double>().Forward(TestTensors.Random<double>(1, 4), TestTensors.Create(new[] { 1.0 }, 1));

        act.Should().Throw<ShapeMismatchException>().WithMessage("*expected input of shape [N, classes] or [N, classes, d1, …] but got [4]*");
    }

    [Fact]
    public void SoftmaxCrossEntropy_Image_FailsNamingTheLossesThatTakeIt()
    {
        var act = () => new SoftmaxCrossEntropy<double>().Forward(TestTensors.Random<double>(1, 2, 3, 2, 2), TestTensors.Create(new double[8], 2, 2, 2));

        act.Should().Throw<ShapeMismatchException>().WithMessage(
            "SoftmaxCrossEntropy(): expected input of shape [N, classes] but got [2, 3, 2, 2] (a label per position of [N, classes, d1, …] takes CrossEntropy or NegativeLogLikelihood).");
    }

    [Fact]
    public void ToString_NamesTheIgnoredIndex()
    {
        new CrossEntropy<float>([1.0, 2.0], 0.1, -100).ToString().Should().Be("CrossEntropy(labelSmoothing=0.1, classWeights=[1, 2], ignoreIndex=-100)");
        new NegativeLogLikelihood<float>(ignoreIndex: 255).ToString().Should().Be("NegativeLogLikelihood(ignoreIndex=255)");
        new NegativeLogLikelihood<float>([0.5]).ToString().Should().Be("NegativeLogLikelihood(classWeights=[0.5])");
        new NegativeLogLikelihood<float>().ToString().Should().Be("NegativeLogLikelihood()");
    }

    /// <summary>
    /// The loss on <c>[N, C, d1, …]</c> against the same loss on each position's classes as a row of <c>[N·d1·…, C]</c>: the
    /// same value (summed in another order, so to 1e-14) and the same gradient, moved back.
    /// </summary>
    private static void SameAsRows(Func<ILoss<double>> create, Tensor<double> output, int? ignoreIndex)
    {
        int batch = (int)output.Lengths[0], classes = (int)output.Lengths[1], positions = (int)(output.FlattenedLength / batch / classes);
        var labels = Labels(output, ignoreIndex);
        var values = output.ToArray();
        var rows = new double[values.Length];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < classes; c++)
                for (int p = 0; p < positions; p++) rows[(n * positions + p) * classes + c] = values[(n * classes + c) * positions + p];
        ILoss<double> spatial = create(), flat = create();

        double value = spatial.Forward(output, labels);
        double expected = flat.Forward(TestTensors.Create(rows, batch * positions, classes), TestTensors.Create(labels.ToArray(), batch * positions));

        value.Should().BeApproximately(expected, 1e-14 * Math.Abs(expected));
        var gradient = spatial.Backward().ToArray();
        var rowGradient = flat.Backward().ToArray();
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < classes; c++)
                for (int p = 0; p < positions; p++)
                    gradient[(n * classes + c) * positions + p].Should().BeApproximately(rowGradient[(n * positions + p) * classes + c], 1e-15);
    }

    /// <summary>Labels <c>[N, d1, …]</c> for <paramref name="output"/>, spread over the classes, every fourth the ignored index when there is one.</summary>
    private static Tensor<double> Labels(Tensor<double> output, int? ignoreIndex)
    {
        int classes = (int)output.Lengths[1];
        int[] shape = [(int)output.Lengths[0], .. output.Lengths[2..].ToArray().Select(length => (int)length)];
        var labels = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < labels.Length; i++) labels[i] = ignoreIndex is { } ignored && i % 4 == 1 ? ignored : (i * 7 + 2) % classes;
        return TestTensors.Create(labels, shape);
    }

    private static Tensor<float> ToFloat(Tensor<double> tensor) =>
        Tensor.Create(tensor.ToArray().Select(v => (float)v).ToArray(), [.. tensor.Lengths]);
}
