using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>PReLU: PyTorch's values at 0, −0 and NaN, gradient checks of the input and the slopes, saving, training and bad input.</summary>
public class PReLUTests
{
    [Fact]
    public void OneSlope_ZeroNegativeZeroNaN_AsPyTorch()
    {
        // torch.nn.PReLU()(x) and its backward with dy = [1, 2, 3, 4, 5, 6], PyTorch 1.13, float64.
        var layer = new PReLU<double>();
        var x = TestTensors.Create(new[] { 0.0, -0.0, -1, 1, double.NaN, double.NegativeInfinity }, 1, 6);
        var y = layer.Forward(x, training: true).ToArray();
        y.Select(v => BitConverter.DoubleToInt64Bits(v)).Should().Equal(
            new[] { 0.0, -0.0, -0.25, 1, double.NaN, double.NegativeInfinity }.Select(v => BitConverter.DoubleToInt64Bits(v)));
        var dx = layer.Backward(TestTensors.Create(new[] { 1.0, 2, 3, 4, 5, 6 }, 1, 6)).ToArray();
        dx.Should().Equal(0.25, 0.5, 0.75, 4, 1.25, 1.5);   // the gradient at 0 is a·dy
        double.IsNaN(layer.Weight.GradientSpan[0]).Should().BeTrue("a NaN input's x·dy enters the slope's sum, as in PyTorch");
    }

    [Fact]
    public void OneSlope_SlopeGradient_SumsXTimesDyWhereXIsNotPositive()
    {
        var layer = new PReLU<double>(init: 0.1);
        layer.Forward(TestTensors.Create(new[] { 0.0, -0.0, -1, 1, -2, 3 }, 2, 3), training: true);
        layer.Backward(TestTensors.Create(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3));
        layer.Backward(TestTensors.Create(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3));
        // 0·1 − 0·2 − 1·3 − 2·5 = −13, added twice: gradients accumulate.
        layer.Weight.GradientSpan[0].Should().Be(-26);
    }

    [Fact]
    public void PerChannel_Images_EachChannelItsOwnSlopeAndGradient()
    {
        var layer = new PReLU<double>(2);
        layer.Weight.ValueSpan[0] = 0.5;
        layer.Weight.ValueSpan[1] = -2;
        // [N = 2, C = 2, 1, 2]
        var x = TestTensors.Create(new[] { -1.0, 2, -3, 4, 5, -6, -7, -8 }, 2, 2, 1, 2);
        layer.Forward(x, training: true).ToArray().Should().Equal(-0.5, 2, 6, 4, 5, -3, 14, 16);
        var dx = layer.Backward(TestTensors.Create(new[] { 1.0, 1, 1, 1, 2, 2, 2, 2 }, 2, 2, 1, 2)).ToArray();
        dx.Should().Equal(0.5, 1, -2, 1, 2, 1, -4, -4);
        layer.Weight.GradientSpan.ToArray().Should().Equal(-1 * 1 + -6 * 2, -3 * 1 + (-7 - 8) * 2.0);   // −13, −33
    }

    [Fact]
    public void PerChannel_Rows_EachFeatureItsOwnSlope()
    {
        var layer = new PReLU<float>(3);
        layer.Weight.ValueSpan[0] = 0.5f;
        layer.Weight.ValueSpan[2] = 2;
        layer.Forward(TestTensors.Create(new[] { -1f, -1, -1, 1, -2, -4 }, 2, 3), training: false).ToArray()
            .Should().Equal(-0.5f, -0.25f, -2, 1, -0.5f, -8);
    }

    public static TheoryData<int, int[]> Shapes => new()
    {
        { 1, [3, 5] }, { 5, [3, 5] }, { 1, [2, 3, 2, 3] }, { 3, [2, 3, 2, 3] }, { 4, [3, 4, 7] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_InputAndSlopes_MatchFiniteDifferences(int slopes, int[] shape)
    {
        var input = TestTensors.Random<double>(3, shape);
        var values = input.ToArray();
        // Away from the kink at 0, where a finite difference straddles two slopes.
        for (int i = 0; i < values.Length; i++) if (Math.Abs(values[i]) < 1e-3) values[i] = -0.5;
        var layer = new PReLU<double>(slopes, init: 0.3);
        for (int c = 0; c < slopes; c++) layer.Weight.ValueSpan[c] = 0.1 + 0.2 * c;
        var result = GradientCheck.Layer(layer, TestTensors.Create(values, shape), seed: 5);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesTheLayerAndBothShapes()
    {
        var act = () => new PReLU<float>(3).Forward(TestTensors.Random<float>(1, 2, 4, 5, 5), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*PReLU(slopes=3)*[N, 3, ...]*[2, 4, 5, 5]*");
        var shape = () => new PReLU<float>(3).OutputShape([4]);
        shape.Should().Throw<ShapeMismatchException>().WithMessage("*PReLU(slopes=3)*[3, ...]*[4]*");
    }

    [Fact]
    public void Constructor_BadSettings_Refused()
    {
        ((Action)(() => _ = new PReLU<float>(0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new PReLU<float>(1, double.NaN))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*PReLU init must be finite, but was NaN*");
    }

    [Fact]
    public void Builder_PerChannel_TakesTheChannelsFromTheShape()
    {
        var network = Network.Sequential<float>(2, 5, 5).Conv2D(4, kernel: 3).PReLU(perChannel: true).Flatten().Dense(6).PReLU(init: 0.1).Build(seed: 1);
        network.Layers[1].ToString().Should().Be("PReLU(slopes=4)");
        network.Layers[4].ToString().Should().Be("PReLU(slopes=1)");
        network.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "3.weight", "3.bias", "4.weight");
        network.Parameters[5].ValueSpan[0].Should().Be(0.1f);
        network.Parameters[2].ValueSpan.ToArray().Should().Equal(0.25f, 0.25f, 0.25f, 0.25f);
    }

    private static Sequential<double> Trained(out Tensor<double> x) => Trained(out x, out _);

    private static Sequential<double> Trained(out Tensor<double> x, out Trainer<double> trainer)
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 12, seed: 3);
        var network = Network.Sequential<double>(2).Dense(6).PReLU(perChannel: true).Dense(5).PReLU().Dense(3).Build(seed: 2);
        trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(network.Parameters, 0.05));
        trainer.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 1 });
        x = data.Features;
        return network;
    }

    [Fact]
    public void Optimizer_TrainsTheSlopes()
    {
        var network = Trained(out _);
        network.Parameters[2].ValueSpan.ToArray().Should().NotEqual(Enumerable.Repeat(0.25, 6), "Adam moved the per-channel slopes");
        network.Parameters[5].ValueSpan[0].Should().NotBe(0.25);
    }

    [Fact]
    public void ModelFileAndCheckpoint_RoundTrip_SameSlopesAndOutputs()
    {
        var network = Trained(out var x, out var trainer);
        LayerRoundTrips.SavesAndLoads(network, x, trainer);
    }

    [Fact]
    public void LayerRegistry_Description_RebuildsTheLayer()
    {
        var layer = LayerRegistry.Create<float>(new PReLU<float>(7).Describe());
        layer.Should().BeOfType<PReLU<float>>().Which.SlopeCount.Should().Be(7);
    }

    [Fact]
    public void Predict_FromManyThreadsAndFrozen_SameBitsAsSerial()
    {
        var network = Network.Sequential<float>(3, 6, 6).Conv2D(5, kernel: 3, padding: 1).PReLU(perChannel: true).Flatten().Dense(20).PReLU().Dense(4)
            .Build(seed: 4);
        LayerRoundTrips.PredictsFromManyThreadsAndFrozenAsSerial(network, [3, 6, 6]);
    }
}
