using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>Grouped and depthwise Conv2D and ConvTranspose2D layers in model files and checkpoints; files without <c>groups</c> load as one group.</summary>
public sealed class GroupedConvFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // A depthwise-separable block (depthwise 3×3, pointwise 1×1) and a two-group convolution.
    private static Sequential<double> Network(int seed) =>
        NeuralNets.Network.Sequential<double>([4, 6, 6]).Conv2D(4, 3, padding: 1, groups: 4).ReLU().Conv2D(6, 1)
            .Conv2D(8, 3, stride: 2, padding: 1, bias: false, groups: 2).ReLU().ConvTranspose2D(4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 4)
            .Flatten().Dense(3).Build(seed);

    [Fact]
    public void ModelFile_GroupedLayers_RoundTripWithTheSameSettingsAndPredictions()
    {
        var network = Network(seed: 1);
        string path = _temp.File("grouped.json");
        ModelFile.Save(network, path);

        var loaded = ModelFile.Load<double>(path);
        var into = Network(seed: 2);
        ModelFile.LoadParameters(into, path);

        var x = TestTensors.Random<double>(3, 2, 4, 6, 6);
        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        loaded.ToString().Should().Be(network.ToString()).And.Contain("groups 4").And.Contain("groups 2");
        ((Conv2D<double>)loaded.Layers[0]).Weight.Value.Lengths.ToArray().Should().Equal(4, 1, 3, 3);
        ((ConvTranspose2D<double>)loaded.Layers[5]).Weight.Value.Lengths.ToArray().Should().Equal(8, 1, 3, 3);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        into.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void ModelFile_GroupsSpelledOutAsOne_LoadsAsTheFileWithout()
    {
        var network = NeuralNets.Network.Sequential<double>([2, 5, 5]).Conv2D(3, 3).Flatten().Dense(2).Build(seed: 3);
        string path = _temp.File("one.json");
        ModelFile.Save(network, path);
        File.ReadAllText(path).Should().NotContain("groups", "a layer of one group is written as before groups existed");
        Edit(path, root => Settings(root, 0)["groups"] = 1);

        var loaded = ModelFile.Load<double>(path);

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        ((Conv2D<double>)loaded.Layers[0]).Groups.Should().Be(1);
    }

    [Fact]
    public void ModelFile_GroupsNotDividingTheChannels_RefusedNamingThem()
    {
        string path = _temp.File("bad.json");
        ModelFile.Save(Network(seed: 1), path);
        Edit(path, root => Settings(root, 0)["groups"] = 3);

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*layer 0*groups 3 must divide both the input channels 4 and the output channels 4*");
    }

    [Fact]
    public void Checkpoint_GroupedLayers_ResumesIntoTheSameNetwork()
    {
        var data = new Dataset<double>(TestTensors.Random<double>(4, 12, 4, 6, 6),
            TestTensors.Create(Enumerable.Range(0, 12).Select(i => (double)(i % 3)).ToArray(), 12), classCount: 3);
        var network = Network(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(network.Parameters, 0.01));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 4 }, cancellationToken: CancellationToken.None);
        string path = _temp.File("checkpoint.json");
        trainer.SaveCheckpoint(path);

        var loaded = Checkpoint.LoadNetwork<double>(path);

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
    }
}
