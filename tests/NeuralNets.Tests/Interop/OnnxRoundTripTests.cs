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
