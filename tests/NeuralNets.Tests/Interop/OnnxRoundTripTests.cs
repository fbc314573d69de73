using System.Numerics;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

public class OnnxRoundTripTests
{
    private static Sequential<T> LeNet<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1, 28, 28])
            .Conv2D(6, kernel: (5, 3), stride: (1, 2), padding: (2, 1)).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).Sigmoid().AvgPool2D(3, stride: 2, padding: 1)
            .Flatten().Dense(120).LeakyReLU().Dropout(0.3).Dense(84).LeakyReLU(0.3).Tanh().Dense(10).Softmax()
            .Build(seed: 7);

    [Fact]
    public void SaveLoad_LeNetFloat_WeightsAndPredictionsBitIdentical() => RoundTrip(LeNet<float>());

    [Fact]
    public void SaveLoad_LeNetDouble_WeightsAndPredictionsBitIdentical() => RoundTrip(LeNet<double>());

    [Fact]
    public void SaveLoad_ThroughAFile_SameNetwork()
    {
        var network = Network.Sequential<float>([6]).Dense(4).ReLU().Dense(2).Build(seed: 3);
        string path = Path.Combine(Path.GetTempPath(), $"nn-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxFile.Save(network, path);
            var loaded = OnnxFile.Load<float>(path);
            loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Layers built with bias: false export their nodes without a bias input and import as such layers again.</summary>
    [Fact]
    public void SaveLoad_BiasFreeLayers_NodesWithoutBiasInputs_ComeBackWithoutBiases()
    {
        var network = Network.Sequential<float>([2, 6, 6]).Conv2D(4, 3, padding: 1, bias: false).ReLU()
            .ConvTranspose2D(3, 3, stride: 2, padding: 1, bias: false).ReLU().Flatten().Dense(8, bias: false).ReLU().Dense(3).Build(seed: 5);

        var graph = OnnxDecoder.Decode(OnnxFile.ToBytes(network), "exported").Graph!;

        graph.Nodes.Where(n => n.OpType is "Conv" or "ConvTranspose" or "Gemm").Select(n => n.Inputs.Length).Should().Equal(2, 2, 2, 3);
        RoundTrip(network);
        OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network)).Parameters.Select(p => p.Name).Should().Equal("0.weight", "2.weight", "5.weight", "7.weight", "7.bias");
    }

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var loaded = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));

        // Dropout has no node in the graph, so the layers come back without it; everything else is described alike.
        var expected = network.Layers.Where(l => l is not Dropout<T>).Select(l => l.Describe()).ToList();
        loaded.Layers.Select(l => l.Describe()).Should().Equal(expected);
        loaded.InputShape.Should().Equal(network.InputShape!);
        var expectedWeights = network.Parameters.Select(p => p.ValueSpan.ToArray()).ToList();
        var loadedWeights = loaded.Parameters.Select(p => p.ValueSpan.ToArray()).ToList();
        loadedWeights.Should().HaveCount(expectedWeights.Count);
        for (int i = 0; i < expectedWeights.Count; i++) loadedWeights[i].Should().Equal(expectedWeights[i]);

        var input = TestTensors.Random<T>(5, [3, .. network.InputShape!]);
        network.Predict(input).ToArray().Should().Equal(loaded.Predict(input).ToArray());
    }
}
