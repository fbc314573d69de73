using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>Dense, Conv2D and ConvTranspose2D built with bias: false (PyTorch's bias=False).</summary>
public class BiasFreeLayerTests
{
    public static TheoryData<string> Kinds => ["Dense", "Conv2D", "ConvTranspose2D"];

    /// <summary>A layer of <paramref name="kind"/> with or without a bias, the same weights either way, and an input for it.</summary>
    private static (ILayer<T> Layer, Tensor<T> Input) Make<T>(string kind, bool bias, int batch = 3) where T : unmanaged, IFloatingPointIeee754<T> =>
        kind switch
        {
            "Dense" => (new Dense<T>(5, 4, seed: 1, bias: bias), TestTensors.Random<T>(2, batch, 5)),
            "Conv2D" => (new Conv2D<T>(2, 3, kernel: 3, seed: 1, stride: 2, padding: 1, bias: bias), TestTensors.Random<T>(2, batch, 2, 5, 5)),
            "ConvTranspose2D" => (new ConvTranspose2D<T>(2, 3, kernel: 3, seed: 1, stride: 2, padding: 1, outputPadding: 1, bias: bias),
                TestTensors.Random<T>(2, batch, 2, 3, 3)),
            _ => throw new ArgumentException(kind, nameof(kind)),
        };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Parameters_WithoutBias_HoldOnlyTheWeightNamedAsPyTorch(string kind)
    {
        var (layer, _) = Make<double>(kind, bias: false);

        var (hasBias, bias) = layer switch
        {
            Dense<double> dense => (dense.HasBias, dense.Bias),
            Conv2D<double> conv => (conv.HasBias, conv.Bias),
            ConvTranspose2D<double> transposed => (transposed.HasBias, transposed.Bias),
            _ => throw new InvalidOperationException(kind),
        };

        layer.Parameters.Select(p => p.Name).Should().Equal("weight");
        hasBias.Should().BeFalse();
        bias.Should().BeNull();
        layer.CreateInferenceCopy()!.Parameters.Should().Equal(layer.Parameters);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_WithoutBias_MatchesFiniteDifferences(string kind)
    {
        var (layer, x) = Make<double>(kind, bias: false);

        var result = GradientCheck.Layer(layer, x, seed: 4, epsilon: 1e-4);

        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    /// <summary>Without a bias the layer computes what it computes with a bias of zeros: the output, dx and dW, bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardBackward_WithoutBias_SameBitsAsABiasOfZeros(string kind)
    {
        AssertSameBitsAsZeroBias<double>(kind);
        AssertSameBitsAsZeroBias<float>(kind);
    }

    private static void AssertSameBitsAsZeroBias<T>(string kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (free, x) = Make<T>(kind, bias: false, batch: 5);
        var (zero, _) = Make<T>(kind, bias: true, batch: 5);
        var (y, dx, dW) = Pass(free, x);
        var (yZero, dxZero, dWZero) = Pass(zero, x);
        y.Should().Equal(yZero, "output");
        dx.Should().Equal(dxZero, "input gradient");
        dW.Should().Equal(dWZero, "weight gradient");
    }

    private static (T[] Y, T[] Dx, T[] DW) Pass<T>(ILayer<T> layer, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = layer.Forward(x, training: true);
        var dx = layer.Backward(TestTensors.Random<T>(7, y.Shape())).ToArray();
        return (y.ToArray(), dx, layer.Parameters[0].GradientSpan.ToArray());
    }

    /// <summary>Every path of the float convolution (direct or unfolded forward, direct or column input gradient, a split backward pass) without a bias.</summary>
    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void Conv2DFloat_EveryPathWithoutBias_SameBitsAsABiasOfZeros(bool direct, bool directInputGradient, bool splitBackward)
    {
        Conv2D<float> Layer(bool bias) => new(3, 8, kernel: 3, seed: 2, padding: 1, bias: bias)
        {
            ForcedChoice = direct, ForcedInputGradientChoice = directInputGradient, AllowSplitBackward = splitBackward,
        };
        var x = TestTensors.Random<float>(3, 1, 3, 12, 12);

        var (y, dx, dW) = Pass(Layer(bias: false), x);
        var (yZero, dxZero, dWZero) = Pass(Layer(bias: true), x);

        y.Should().Equal(yZero);
        dx.Should().Equal(dxZero);
        dW.Should().Equal(dWZero);
    }

    [Fact]
    public void DescribeAndToString_WithoutBias_SayNoBias_AndWithABiasAsBefore()
    {
        new Dense<double>(4, 3, seed: 0, bias: false).ToString().Should().Be("Dense(4 → 3, no bias)");
        new Conv2D<double>(1, 6, 5, seed: 0, padding: 2, bias: false).ToString().Should().Be("Conv2D(1 → 6, 5×5, stride 1, padding 2, no bias)");
        new ConvTranspose2D<double>(16, 8, 4, seed: 0, stride: 2, padding: 1, bias: false).ToString()
            .Should().Be("ConvTranspose2D(16 → 8, 4×4, stride 2, padding 1, output padding 0×0, no bias)");
        foreach (string kind in new[] { "Dense", "Conv2D", "ConvTranspose2D" })
        {
            Make<double>(kind, bias: false).Layer.Describe().Settings.Should().Contain("bias", 0);
            // A layer with a bias describes itself as every file written before the setting existed.
            Make<double>(kind, bias: true).Layer.Describe().Settings.Should().NotContainKey("bias");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LayerRegistry_DescriptionWithoutTheSetting_HasABias_AndWithBiasZero_HasNone(string kind)
    {
        var described = Make<double>(kind, bias: true).Layer.Describe();
        var withoutSetting = LayerRegistry.Create<double>(described);
        var free = LayerRegistry.Create<double>(Make<double>(kind, bias: false).Layer.Describe());

        withoutSetting.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        free.Parameters.Select(p => p.Name).Should().Equal("weight");
        free.ToString().Should().EndWith(", no bias)");
    }

    private static SequentialBuilder<double> BiasFreeNetwork() =>
        Network.Sequential<double>([2, 6, 6]).Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU()
            .ConvTranspose2D(3, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().MaxPool2D(2)
            .Flatten().Dense(8, bias: false).BatchNorm1D().ReLU().Dense(6, bias: false).Tanh().Dense(3);

    [Fact]
    public void ModelFile_BiasFreeLayers_RoundTripWithTheSameParametersAndPredictions()
    {
        var network = BiasFreeNetwork().Build(seed: 1);
        var x = TestTensors.Random<double>(5, 4, 2, 6, 6);
        network.Forward(x, training: true);
        string path = Path.Combine(Path.GetTempPath(), $"bias-free-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<double>(path);

            loaded.ToString().Should().Be(network.ToString());
            loaded.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
            loaded.Parameters.Select(p => p.Name).Should().NotContain(["0.bias", "3.bias", "8.bias", "11.bias"]);
            loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_BiasFreeLayers_HoldsTheNetworkWithoutBiases()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 10, seed: 1);
        var network = Network.Sequential<double>(2).Dense(6, bias: false).BatchNorm1D().ReLU().Dense(3).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(network.Parameters, 0.01));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 8 }, cancellationToken: CancellationToken.None);
        string path = Path.Combine(Path.GetTempPath(), $"bias-free-checkpoint-{Guid.NewGuid():N}.json");
        try
        {
            trainer.SaveCheckpoint(path);
            var loaded = Checkpoint.LoadNetwork<double>(path);

            loaded.Parameters.Select(p => p.Name).Should().Equal("0.weight", "1.weight", "1.bias", "3.weight", "3.bias");
            loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The network fuses Dense with the activations beside it, and a frozen copy packs Dense's weight: the same outputs without a bias.</summary>
    [Fact]
    public void Sequential_FusedAndFrozen_BiasFreeDense_SameOutputsAsLayersApart()
    {
        Sequential<float> Build() => Network.Sequential<float>(40).Dense(32, bias: false).ReLU().Dense(24, bias: false).Tanh().Dense(3, bias: false).Build(seed: 2);
        var network = Build();
        var apart = new Sequential<float>([40], Build().Layers.Select(l => (ILayer<float>)new Sequential<float>(l)).ToArray());
        var x = TestTensors.Random<float>(6, 9, 40);

        var expected = apart.Predict(x).ToArray();

        network.Predict(x).ToArray().Should().Equal(expected);
        network.Freeze().Predict(x).ToArray().Should().Equal(expected);
        network.Forward(x, training: true);
        apart.Forward(x, training: true);
        var g = TestTensors.Random<float>(8, 9, 3);
        network.Backward(g).ToArray().Should().Equal(apart.Backward(g).ToArray());
        network.Parameters.Select(p => p.GradientSpan.ToArray()).Should().BeEquivalentTo(apart.Parameters.Select(p => p.GradientSpan.ToArray()), o => o.WithStrictOrdering());
    }
}
