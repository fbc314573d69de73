using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>Unflatten goes to ONNX as a Reshape to [0, ...shape] and comes back as an Unflatten.</summary>
public class UnflattenOnnxTests
{
    [Fact]
    public void Generator_ExportThenImport_PredictsTheSame()
    {
        var network = Network.Sequential<double>(6).Dense(32).Unflatten(1, [8, 2, 2]).Conv2D(2, kernel: 2).Build(seed: 5);
        var bytes = OnnxFile.ToBytes(network);
        var imported = OnnxFile.FromBytes<double>(bytes);
        imported.Layers.OfType<Unflatten<double>>().Single().UnflattenedSize.Should().Equal(8, 2, 2);
        var x = TestTensors.Random<double>(1, 3, 6);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void ReshapeOfAnImage_Import_BecomesFlattenThenUnflatten()
    {
        // Splitting an image's channel axis exports as Reshape [0, 1, 2, 3, 4], which the importer reads from [2, 3, 4].
        var network = Network.Sequential<float>(2, 3, 4).Unflatten(1, [1, 2]).Build(seed: 1);
        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));
        imported.Layers.Select(layer => layer.GetType().Name).Should().Equal("Flatten`1", "Unflatten`1");
        imported.OutputShape([2, 3, 4]).Should().Equal(1, 2, 3, 4);
        var x = TestTensors.Random<float>(2, 2, 2, 3, 4);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }
}
