using NeuralNets.Serialization;

namespace NeuralNets.Tests.Layers;

public sealed class ConvNetFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnets-cnn-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SaveThenLoad_ConvNet_PredictsBitForBit()
    {
        var network = Network.Sequential<double>(2, 9, 8)
            .Conv2D(3, kernel: (3, 2), stride: (2, 1), padding: (1, 0)).ReLU().MaxPool2D(2, stride: 1)
            .Conv2D(4, kernel: 3, padding: 1).AvgPool2D((2, 3), padding: (1, 1)).Flatten().Dropout(0.25).Dense(3).Build(seed: 6);
        network.Parameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).ToList()
            .ForEach(p => p.SetValue(TestTensors.Random<double>(1, p.Length).ToArray()));
        var path = Path.Combine(_directory, "cnn.json");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        var x = TestTensors.Random<double>(2, 3, 2, 9, 8);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.ToString().Should().Be(network.ToString());
        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
    }
}
