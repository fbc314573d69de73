using System.Numerics;
using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>ConvTranspose2D goes to ONNX as ConvTranspose (pads and output_padding) and comes back as the same layer.</summary>
public class ConvTransposeOnnxTests
{
    private static Sequential<T> Generator<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>(6).Dense(32).ReLU().Unflatten(1, [8, 2, 2])
            .ConvTranspose2D(4, kernel: 3, stride: 2, padding: 1, outputPadding: 1).ReLU()
            .ConvTranspose2D(1, kernel: 4, stride: 2, padding: 1).Sigmoid()
            .Build(seed: 11);

    [Fact]
    public void Generator_Float_ExportThenImport_SameLayersWeightsAndPredictions() => RoundTrip(Generator<float>());

    [Fact]
    public void Generator_Double_ExportThenImport_SameLayersWeightsAndPredictions() => RoundTrip(Generator<double>());

    [Fact]
    public void OutputPaddingNotBelowTheStride_Import_FailsNamingTheNode()
    {
        var graph = Graph([1, 3, 3], [1, 6, 6]);
        graph.Initializers.Add(Raw("w", [1, 1, 2, 2], [1, 2, 3, 4]));
        graph.Nodes.Add(Node("ConvTranspose", ["x", "w"], "y", Ints("strides", 2, 2), Ints("output_padding", 2, 0)));
        var act = () => Import<float>(Model(graph));
        act.Should().Throw<InvalidDataException>().WithMessage("*'convtranspose_y' (ConvTranspose) has output_padding [2, 0] not below its strides (2, 2)*");
    }

    [Fact]
    public void WeightForOtherInputChannels_Import_FailsNamingTheShapes()
    {
        var graph = Graph([2, 3, 3], [1, 4, 4]);
        graph.Initializers.Add(Raw("w", [1, 1, 2, 2], [1, 2, 3, 4]));
        graph.Nodes.Add(Node("ConvTranspose", ["x", "w"], "y"));
        var act = () => Import<float>(Model(graph));
        act.Should().Throw<InvalidDataException>().WithMessage("*'convtranspose_y' (ConvTranspose) receives samples of shape [2, 3, 3]*needs [1, H, W]*");
    }

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var imported = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));
        imported.Layers.Select(layer => layer.Describe()).Should().Equal(network.Layers.Select(layer => layer.Describe()));
        for (int i = 0; i < network.Parameters.Count; i++)
            imported.Parameters[i].ValueSpan.ToArray().Should().Equal(network.Parameters[i].ValueSpan.ToArray());
        var x = TestTensors.Random<T>(3, [2, 6]);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }
}
