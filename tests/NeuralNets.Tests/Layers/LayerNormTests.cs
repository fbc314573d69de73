using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>LayerNorm: hand-computed values, gradient checks of the input, γ and β, saving, training, many threads and bad input.</summary>
public class LayerNormTests
{
    [Fact]
    public void Forward_OneRow_MeanZeroBiasedVarianceOne()
    {
        // μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25 (biased), y = (x − μ)/√(σ² + ε).
        var layer = new LayerNorm<double>(4);
        var y = layer.Forward(TestTensors.Create(new[] { 1.0, 2, 3, 4, 10, 10, 10, 10 }, 2, 4), training: true).ToArray();
        double s = 1 / Math.Sqrt(1.25 + 1e-5);
        y[..4].Should().Equal(-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s);
        y[4..].Should().Equal(0.0, 0, 0, 0);
    }

    [Fact]
    public void Forward_Affine_ScalesAndShiftsEachPosition()
    {
        var layer = new LayerNorm<double>([2, 1], epsilon: 0.5);
        layer.Weight!.ValueSpan[0] = 2;
        layer.Weight.ValueSpan[1] = -1;
        layer.Bias!.ValueSpan[1] = 3;
        // x = [1, 3]: μ = 2, σ² = 1, s = 1/√1.5.
        var y = layer.Forward(TestTensors.Create(new[] { 1.0, 3 }, 1, 2, 1), training: false).ToArray();
        double s = 1 / Math.Sqrt(1.5);
        y.Should().Equal(2 * -s, -s + 3);
    }

    [Fact]
    public void Backward_ParameterGradients_SumOverTheBatchAndAccumulate()
    {
        var layer = new LayerNorm<double>(2);
        var x = TestTensors.Create(new[] { 1.0, 3, 5, 1 }, 2, 2);   // x̂ = [−1, 1] and [1, −1] (up to ε)
        layer.Forward(x, training: true);
        var dy = TestTensors.Create(new[] { 1.0, 2, 3, 4 }, 2, 2);
        layer.Backward(dy);
        layer.Backward(dy);
        double s1 = 1 / Math.Sqrt(1 + 1e-5), s2 = 2 / Math.Sqrt(4 + 1e-5);
        layer.Weight!.GradientSpan.ToArray().Should().BeEquivalentTo(new[] { 2 * (-s1 + 3 * s2), 2 * (2 * s1 - 4 * s2) }, o => o.WithStrictOrdering()
            .Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-14)).WhenTypeIs<double>());
        layer.Bias!.GradientSpan.ToArray().Should().Equal(8, 12);
    }

    public static TheoryData<int[], int[], bool> Shapes => new()
    {
        { [5], [3, 5], true }, { [5], [3, 5], false }, { [3, 4], [2, 3, 4], true }, { [2, 3, 3], [3, 2, 3, 3], true },
        { [4], [2, 3, 4], true }, { [17], [2, 17], true }, { [2, 3, 3], [2, 2, 3, 3], false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_InputWeightAndBias_MatchFiniteDifferences(int[] normalizedShape, int[] shape, bool affine)
    {
        var layer = new LayerNorm<double>(normalizedShape, elementwiseAffine: affine);
        if (affine)
        {
            var gamma = TestTensors.Random<double>(11, layer.Weight!.Shape.ToArray()).ToArray();
            for (int i = 0; i < gamma.Length; i++) layer.Weight.ValueSpan[i] = 1 + 0.5 * gamma[i];
            TestTensors.Random<double>(12, layer.Bias!.Shape.ToArray()).ToArray().CopyTo(layer.Bias.ValueSpan);
        }
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, shape), seed: 5);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Forward_WrongTrailingShape_NamesTheLayerAndBothShapes()
    {
        var act = () => new LayerNorm<float>([3, 4]).Forward(TestTensors.Random<float>(1, 2, 4, 4), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*LayerNorm([3, 4], eps=1E-05, elementwise_affine=True)*[N, ..., 3, 4]*[2, 4, 4]*");
        var noBatch = () => new LayerNorm<float>([3, 4]).Forward(TestTensors.Random<float>(1, 3, 4), training: false);
        noBatch.Should().Throw<ShapeMismatchException>();
        var shape = () => new LayerNorm<float>(3).OutputShape([4]);
        shape.Should().Throw<ShapeMismatchException>().WithMessage("*[..., 3]*[4]*");
        new LayerNorm<float>(3).OutputShape([5, 3]).Should().Equal(5, 3);
    }

    [Fact]
    public void Constructor_BadSettings_Refused()
    {
        ((Action)(() => _ = new LayerNorm<float>(0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*normalizedShape[0] was 0*");
        ((Action)(() => _ = new LayerNorm<float>(Array.Empty<int>()))).Should().Throw<ArgumentException>().WithMessage("*LayerNorm needs at least one length in normalizedShape*");
        ((Action)(() => _ = new LayerNorm<float>(3, epsilon: 0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*epsilon must be finite and positive, but was 0*");
        ((Action)(() => Network.Sequential<float>(4).LayerNorm(epsilon: double.NaN))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Network.Sequential<float>(4).LayerNorm(axes: 2).Build(seed: 1))).Should().Throw<ShapeMismatchException>().WithMessage("*at least 2 axes*");
    }

    [Fact]
    public void Builder_NormalisesTheTrailingAxes_ParametersNamedAsPyTorch()
    {
        var network = Network.Sequential<float>(2, 5, 5).Conv2D(4, kernel: 3).LayerNorm().Flatten().Dense(6).LayerNorm(elementwiseAffine: false)
            .Build(seed: 1);
        network.Layers[1].ToString().Should().Be("LayerNorm([4, 3, 3], eps=1E-05, elementwise_affine=True)");
        network.Layers[4].ToString().Should().Be("LayerNorm([6], eps=1E-05, elementwise_affine=False)");
        network.Parameters.Select(p => p.ToString()).Should().Equal("0.weight [4, 2, 3, 3]", "0.bias [4]", "1.weight [4, 3, 3]", "1.bias [4, 3, 3]",
            "3.weight [6, 36]", "3.bias [6]");
        network.Parameters[2].ValueSpan.ToArray().Should().AllBeEquivalentTo(1f);
        Network.Sequential<float>(3, 4).LayerNorm(axes: 1).Build(seed: 1).Layers[0].ToString().Should().StartWith("LayerNorm([4]");
    }

    private static Sequential<double> Trained(out Tensor<double> x, out Trainer<double> trainer)
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 12, seed: 3);
        var network = Network.Sequential<double>(2).Dense(6).LayerNorm().Tanh().Dense(5).LayerNorm(elementwiseAffine: false).Dense(3).Build(seed: 2);
        trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(network.Parameters, 0.05));
        trainer.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 1 });
        x = data.Features;
        return network;
    }

    [Fact]
    public void ModelFileAndCheckpoint_RoundTrip_SameParametersAndOutputs()
    {
        var network = Trained(out var x, out var trainer);
        network.Parameters[2].ValueSpan.ToArray().Should().NotEqual(Enumerable.Repeat(1.0, 6), "Adam moved γ");
        LayerRoundTrips.SavesAndLoads(network, x, trainer);
    }

    [Fact]
    public void LayerRegistry_Description_RebuildsTheLayer()
    {
        var description = new LayerNorm<float>([3, 2], epsilon: 1e-3, elementwiseAffine: false).Describe();
        description.ToString().Should().Be("LayerNorm(epsilon=0.001, affine=0, normalizedShape=[3, 2])");
        var layer = LayerRegistry.Create<float>(description).Should().BeOfType<LayerNorm<float>>().Which;
        layer.NormalizedShape.Should().Equal(3, 2);
        (layer.Epsilon, layer.ElementwiseAffine, layer.Parameters.Count).Should().Be((1e-3, false, 0));
        LayerRegistry.Create<double>(new LayerNorm<double>(4).Describe()).Parameters.Select(p => p.ToString()).Should().Equal("weight [4]", "bias [4]");
    }

    [Fact]
    public void LayerContract_FeaturesAndImages_KeepEveryRule()
    {
        NeuralNets.Testing.NeuralNetsAssertionExtensions.Should(new LayerNorm<double>(5)).SatisfyLayerContract([5]);
        NeuralNets.Testing.NeuralNetsAssertionExtensions.Should(new LayerNorm<double>([3, 4, 4], elementwiseAffine: false)).SatisfyLayerContract([3, 4, 4]);
        NeuralNets.Testing.NeuralNetsAssertionExtensions.Should(new LayerNorm<double>([4, 4])).SatisfyLayerContract([3, 4, 4]);
    }

    [Fact]
    public void Training_SameAsInference()
    {
        var layer = new LayerNorm<float>([3, 5, 5]);
        var x = TestTensors.Random<float>(4, 6, 3, 5, 5);
        var training = layer.Forward(x, training: true).ToArray();
        layer.Forward(x, training: false).ToArray().Should().Equal(training);
    }

    [Fact]
    public void Predict_FromManyThreadsAndFrozen_SameBitsAsSerial()
    {
        var network = Network.Sequential<float>(3, 6, 6).Conv2D(5, kernel: 3, padding: 1).LayerNorm().ReLU().Flatten().Dense(20).LayerNorm().Dense(4)
            .Build(seed: 4);
        LayerRoundTrips.PredictsFromManyThreadsAndFrozenAsSerial(network, [3, 6, 6]);
    }
}
