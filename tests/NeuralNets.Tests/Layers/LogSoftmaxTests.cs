using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Layers;

/// <summary>LogSoftmax: hand-computed values and gradients, stability, its agreement with Softmax, saving, copies and bad input.</summary>
public class LogSoftmaxTests
{
    [Fact]
    public void Forward_HandComputed_IsShiftedLogitsMinusTheirLogSumExp()
    {
        // Row 1: log Σ e^x = 3 + log(1 + e^−1 + e^−2); row 2: all equal, so each is −log 3.
        var y = new LogSoftmax<double>().Forward(TestTensors.Create(new[] { 1.0, 2.0, 3.0, 0.5, 0.5, 0.5 }, 2, 3), training: false).ToArray();
        double logSum = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        y.Should().Equal(new[] { -2 - logSum, -1 - logSum, -logSum, -Math.Log(3), -Math.Log(3), -Math.Log(3) }, (a, b) => Math.Abs(a - b) <= 1e-15 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void Forward_LogitsOf1000_StayFiniteWhereSoftmaxWouldGiveZero()
    {
        var y = new LogSoftmax<double>().Forward(TestTensors.Create(new[] { 1000.0, 999.0, -1000.0 }, 1, 3), training: false).ToArray();
        double logSum = Math.Log(1 + Math.Exp(-1));
        y[0].Should().BeApproximately(-logSum, 1e-15);
        y[1].Should().BeApproximately(-1 - logSum, 1e-15);
        y[2].Should().Be(-2000 - logSum, "e^−2000 underflows, but its logarithm does not");
    }

    [Fact]
    public void Backward_HandComputed_IsGradientMinusSoftmaxTimesItsSum()
    {
        var layer = new LogSoftmax<double>();
        layer.Forward(TestTensors.Create(new[] { 0.0, Math.Log(3) }, 1, 2), training: true);
        // softmax = [1/4, 3/4]; Σ dy = 3: dx = [1 − 3/4, 2 − 9/4].
        var dx = layer.Backward(TestTensors.Create(new[] { 1.0, 2.0 }, 1, 2)).ToArray();
        dx.Should().Equal(new[] { 0.25, -0.25 }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(4, 3)]
    [InlineData(2, 37)]
    public void Backward_SeveralShapes_MatchesFiniteDifferences(int batch, int classes)
    {
        var result = GradientCheck.Layer(new LogSoftmax<double>(), TestTensors.Random<double>(batch + classes, batch, classes), seed: 5);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Forward_FloatAndDouble_IsTheLogarithmOfSoftmax()
    {
        var xd = TestTensors.Random<double>(3, 5, 23);
        var logOfSoftmax = new Softmax<double>().Forward(xd, training: false).ToArray().Select(v => Math.Log(v)).ToArray();
        new LogSoftmax<double>().Forward(xd, training: false).ToArray()
            .Should().Equal(logOfSoftmax, (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Max(1, Math.Abs(b)));
        var xf = TestTensors.Random<float>(3, 5, 23);
        var logOfSoftmaxF = new Softmax<double>().Forward(TestTensors.Create(xf.ToArray().Select(v => (double)v).ToArray(), 5, 23), training: false)
            .ToArray().Select(v => Math.Log(v)).ToArray();
        new LogSoftmax<float>().Forward(xf, training: false).ToArray()
            .Should().Equal(logOfSoftmaxF, (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void Forward_NaNInARow_MakesExactlyThatRowNaN()
    {
        var y = new LogSoftmax<float>().Forward(TestTensors.Create(new[] { 1f, float.NaN, 2f, 1f, 0f, -1f }, 2, 3), training: false).ToArray();
        y.Take(3).Should().OnlyContain(v => float.IsNaN(v));
        y.Skip(3).Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void ModelFile_NetworkEndingInLogSoftmax_SavesLoadsAndPredictsTheSameBits()
    {
        var network = Network.Sequential<float>(6).Dense(5).ReLU().Dense(4).LogSoftmax().Build(seed: 3);
        network.Layers[^1].ToString().Should().Be("LogSoftmax()");
        using var dir = new TempDirectory();
        ModelFile.Save(network, dir.File("model.json"));
        var loaded = ModelFile.Load<float>(dir.File("model.json"));

        loaded.Layers[^1].Should().BeOfType<LogSoftmax<float>>();
        var x = TestTensors.Random<float>(4, 7, 6);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
    }

    [Fact]
    public void InferenceCopy_HasItsOwnBuffers_AndComputesTheSame()
    {
        var layer = new LogSoftmax<double>();
        var copy = layer.CreateInferenceCopy()!;
        var x = TestTensors.Random<double>(8, 3, 9);
        var expected = layer.Forward(x, training: false).ToArray();
        copy.Forward(TestTensors.Random<double>(9, 2, 4), training: false);
        copy.Forward(x, training: false).ToArray().Should().Equal(expected);
        layer.Forward(x, training: false).ToArray().Should().Equal(expected);
    }

    [Fact]
    public void PredictProbabilities_NetworkEndingInLogSoftmax_GivesTheExponentials()
    {
        var network = Network.Sequential<double>(3).Dense(4).LogSoftmax().Build(seed: 2);
        var x = TestTensors.Random<double>(3, 2, 3);
        var logProbabilities = network.Predict(x).ToArray();
        network.PredictProbabilities(x).ToArray().Should().Equal(logProbabilities.Select(v => Math.Exp(v)), (a, b) => Math.Abs(a - b) < 1e-16);
        network.PredictClass(x).Should().Equal(
            Enumerable.Range(0, 2).Select(n => Array.IndexOf(logProbabilities, logProbabilities.Skip(4 * n).Take(4).Max(), 4 * n) - 4 * n));
    }

    [Fact]
    public void Backward_BeforeForward_SaysSo()
    {
        var act = () => new LogSoftmax<double>().Backward(TestTensors.Random<double>(1, 2, 3));
        act.Should().Throw<InvalidOperationException>().WithMessage("*LogSoftmax*");
    }
}
