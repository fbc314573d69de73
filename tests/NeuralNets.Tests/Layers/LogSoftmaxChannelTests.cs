using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// LogSoftmax over the channels of <c>[N, C, d1, …]</c>, as <c>nn.LogSoftmax(dim=1)</c>: hand-computed values, finite
/// differences, the rows' layer on the same numbers, NegativeLogLikelihood after it as CrossEntropy on images, and
/// inference copies from many threads.
/// </summary>
public class LogSoftmaxChannelTests
{
    [Fact]
    public void Forward_Image_NormalisesEachPixelOverTheChannels()
    {
        // [1, 2, 1, 2]: pixel 0 has logits (0, ln 3), pixel 1 (1, 1).
        var y = new LogSoftmax<double>().Forward(TestTensors.Create(new[] { 0.0, 1.0, Math.Log(3), 1.0 }, 1, 2, 1, 2), training: false).ToArray();

        y.Should().Equal(new[] { Math.Log(0.25), Math.Log(0.5), Math.Log(0.75), Math.Log(0.5) }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Backward_Image_IsGradientMinusSoftmaxTimesEachPixelsSum()
    {
        var layer = new LogSoftmax<double>();
        layer.Forward(TestTensors.Create(new[] { 0.0, 1.0, Math.Log(3), 1.0 }, 1, 2, 1, 2), training: true);
        // Pixel 0: softmax (1/4, 3/4), dy (1, 2), Σ 3; pixel 1: softmax (1/2, 1/2), dy (4, −2), Σ 2.
        var dx = layer.Backward(TestTensors.Create(new[] { 1.0, 4.0, 2.0, -2.0 }, 1, 2, 1, 2)).ToArray();

        dx.Should().Equal(new[] { 0.25, 3.0, -0.25, -3.0 }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 2, 2 })]
    [InlineData(new[] { 1, 4, 5 })]
    [InlineData(new[] { 2, 2, 3, 1, 2 })]
    public void Backward_Images_MatchesFiniteDifferences(int[] shape)
    {
        var result = GradientCheck.Layer(new LogSoftmax<double>(), TestTensors.Random<double>(shape.Sum(), shape), seed: 5);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Forward_Image_IsTheRowsLayerOnEachPixelsChannels()
    {
        var x = TestTensors.Random<double>(6, 3, 5, 4, 4);
        var values = x.ToArray();
        var rows = new double[values.Length];
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 5; c++)
                for (int p = 0; p < 16; p++) rows[(n * 16 + p) * 5 + c] = values[(n * 5 + c) * 16 + p];

        var y = new LogSoftmax<double>().Forward(x, training: false).ToArray();
        var yRows = new LogSoftmax<double>().Forward(TestTensors.Create(rows, 48, 5), training: false).ToArray();

        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 5; c++)
                for (int p = 0; p < 16; p++)
                    y[(n * 5 + c) * 16 + p].Should().BeApproximately(yRows[(n * 16 + p) * 5 + c], 1e-14);
    }

    [Fact]
    public void ForwardBackward_FloatImage_AgreesWithDouble()
    {
        var xd = TestTensors.Random<double>(15, 2, 5, 3, 7);
        var dyd = TestTensors.Random<double>(16, 2, 5, 3, 7);
        var layerD = new LogSoftmax<double>();
        var layerF = new LogSoftmax<float>();

        var yd = layerD.Forward(xd, training: true).ToArray();
        var yf = layerF.Forward(TestTensors.Create(xd.ToArray().Select(v => (float)v).ToArray(), 2, 5, 3, 7), training: true).ToArray();
        var dxd = layerD.Backward(dyd).ToArray();
        var dxf = layerF.Backward(TestTensors.Create(dyd.ToArray().Select(v => (float)v).ToArray(), 2, 5, 3, 7)).ToArray();

        yf.Should().Equal(yd, (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b)));
        dxf.Should().Equal(dxd, (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b)));
    }

    /// <summary>NLL after LogSoftmax over the channels is CrossEntropy on the logits, per pixel, ignored pixels and weights included.</summary>
    [Fact]
    public void NegativeLogLikelihoodAfterLogSoftmax_Image_EqualsCrossEntropyInLossAndInputGradient()
    {
        var logits = TestTensors.Random<double>(14, 2, 3, 4, 4);
        var labels = TestTensors.Create(Enumerable.Range(0, 32).Select(i => i % 5 == 0 ? -100.0 : i * 7 % 3).ToArray(), 2, 4, 4);
        double[] weights = [0.5, 2.0, 1.0];
        var layer = new LogSoftmax<double>();
        var nll = new NegativeLogLikelihood<double>(weights, ignoreIndex: -100);
        var cross = new CrossEntropy<double>(weights, ignoreIndex: -100);

        double twoSteps = nll.Forward(layer.Forward(logits, training: true), labels);
        var twoStepsGradient = layer.Backward(nll.Backward()).ToArray();
        double fused = cross.Forward(logits, labels);

        twoSteps.Should().BeApproximately(fused, 1e-14);
        twoStepsGradient.Should().Equal(cross.Backward().ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Predict_SegmentationNetworkFromEightThreads_EqualsSerialBitForBit()
    {
        var network = Network.Sequential<float>(2, 6, 6).Conv2D(4, kernel: 3, padding: 1).ReLU().Conv2D(3, kernel: 1).LogSoftmax().Build(seed: 4);
        var inputs = Enumerable.Range(0, 8).Select(i => TestTensors.Random<float>(20 + i, 3, 2, 6, 6)).ToArray();
        var serial = inputs.Select(x => network.Predict(x).ToArray()).ToArray();

        var parallel = new float[8][];
        Parallel.For(0, 8, i => parallel[i] = network.Predict(inputs[i]).ToArray());

        for (int i = 0; i < 8; i++) parallel[i].Should().Equal(serial[i]);
    }
}
