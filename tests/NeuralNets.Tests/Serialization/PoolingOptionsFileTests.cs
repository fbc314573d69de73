using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// Pools in ceil mode and averages that leave padding out keep those settings through model files and checkpoints; pools
/// with PyTorch's defaults are written as before, without the new settings.
/// </summary>
public sealed class PoolingOptionsFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // 2×7×9 images: each pool has a partial last window, so that a setting lost on the way would change the output or its shape.
    private static Sequential<double> Network(bool options) => NeuralNets.Network.Sequential<double>(2, 7, 9)
        .MaxPool2D(2, ceilMode: options).AvgPool2D(3, stride: 2, padding: 1, ceilMode: options, countIncludePad: !options)
        .AvgPool2D((2, 1), padding: (1, 0), countIncludePad: !options).Flatten().Dense(3).Build(seed: 5);

    [Fact]
    public void ModelFile_CeilModeAndPaddingNotCounted_RoundTrip()
    {
        var network = Network(options: true);
        string path = _temp.File("pools.json");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        loaded.Layers.Select(l => l.ToString()).Should().Equal(network.Layers.Select(l => l.ToString()));
        loaded.Layers[0].ToString().Should().Be("MaxPool2D(2×2, stride 2, ceil mode)");
        var x = TestTensors.Random<double>(3, 4, 2, 7, 9);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Checkpoint_CeilModeAndPaddingNotCounted_RoundTrip()
    {
        var network = Network(options: true);
        var trainer = new Trainer<double>(network, new NeuralNets.Losses.MeanSquaredError<double>(), new Sgd<double>(network.Parameters, 0.1));
        trainer.Fit(new NeuralNets.Data.Dataset<double>(TestTensors.Random<double>(1, 8, 2, 7, 9), TestTensors.Random<double>(2, 8, 3)),
            new TrainingOptions { Epochs = 1, BatchSize = 4 }, cancellationToken: TestContext.Current.CancellationToken);
        string path = _temp.File("run.json");
        trainer.SaveCheckpoint(path);
        var loaded = Checkpoint.LoadNetwork<double>(path);

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        var x = TestTensors.Random<double>(3, 4, 2, 7, 9);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void ModelFile_DefaultPools_WrittenWithoutTheNewSettings()
    {
        string path = _temp.File("plain.json");
        ModelFile.Save(Network(options: false), path);
        string text = File.ReadAllText(path);
        text.Should().NotContain("ceilMode").And.NotContain("countIncludePad");
        ModelFile.Load<double>(path).Layers.OfType<AvgPool2D<double>>().Should().OnlyContain(p => p.CountIncludePad && !p.CeilMode);
    }

    [Theory]
    [InlineData("MaxPool2D", "ceilMode", 2)]
    [InlineData("AvgPool2D", "countIncludePad", 0.5)]
    [InlineData("MaxPool2D", "countIncludePad", 0)]
    public void Load_BadPoolSetting_RefusedNamingIt(string kind, string key, double value)
    {
        var settings = new Dictionary<string, double> { ["kernelH"] = 2, ["kernelW"] = 2, ["strideH"] = 2, ["strideW"] = 2, ["padH"] = 0, ["padW"] = 0, [key] = value };
        var act = () => LayerRegistry.Create<double>(new LayerDescription(kind, settings));
        act.Should().Throw<InvalidDataException>().WithMessage($"*{key}*");
    }
}
