using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// LayerNorm in ONNX: exported as LayerNormalization (opset 17, IR 8, axis = −len(normalized shape)) with γ and β the
/// initializers "{i}.weight" and "{i}.bias", or a scale of ones in a Constant node without them; read back as the same
/// layer. LayerNormalization before opset 17, over the batch, or with a Scale of another shape, and ReduceMean subgraphs
/// other than torch's form of the layer, are refused naming the node.
/// </summary>
public class LayerNormOnnxTests
{
    private static Sequential<T> Normalised<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var network = Network.Sequential<T>(2, 5, 5).Conv2D(3, kernel: 3).LayerNorm().ReLU().Conv2D(2, kernel: 2).LayerNorm(axes: 2, elementwiseAffine: false)
            .Flatten().Dense(6).LayerNorm(epsilon: 1e-3).Dense(3).Build(seed: 5);
        foreach (var layer in network.Layers.OfType<LayerNorm<T>>().Where(l => l.ElementwiseAffine))
        {
            var values = TestTensors.Random<T>(9, layer.Weight!.Shape.ToArray()).ToArray();
            for (int i = 0; i < values.Length; i++) (layer.Weight.ValueSpan[i], layer.Bias!.ValueSpan[i]) = (T.One + values[i], values[i]);
        }
        return network;
    }

    [Fact]
    public void ExportThenImport_Float_SameLayersWeightsAndOutputs() => RoundTrip(Normalised<float>());

    [Fact]
    public void ExportThenImport_Double_SameLayersWeightsAndOutputs() => RoundTrip(Normalised<double>());

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var imported = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
        imported.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        imported.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        var x = TestTensors.Random<T>(6, 3, 2, 5, 5);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Export_LayerNormalizationAtOpset17_AxisFromTheEnd_OthersKeepOpset13()
    {
        var model = OnnxDecoder.Decode(OnnxFile.ToBytes(Normalised<float>()), "normalised");
        (model.IrVersion, model.OperatorSets.Single().Version).Should().Be((8, 17));
        var nodes = model.Graph!.Nodes.Where(n => n.OpType == "LayerNormalization").ToArray();
        nodes.Select(n => n.Attributes.Single(a => a.Name == "axis").I).Should().Equal(-3, -2, -1);
        nodes.Select(n => n.Attributes.Single(a => a.Name == "epsilon").F).Should().Equal(1e-5f, 1e-5f, 1e-3f);
        nodes[0].Inputs.Skip(1).Should().Equal("1.weight", "1.bias");
        nodes[1].Inputs.Should().HaveCount(2, "no bias without elementwise affine");
        model.Graph.Nodes.Single(n => n.Outputs[0] == nodes[1].Inputs[1]).OpType.Should().Be("Constant");
        model.Graph.Initializers.Single(t => t.Name == "1.weight").Dims.Should().Equal(3, 3, 3);

        var plain = OnnxDecoder.Decode(OnnxFile.ToBytes(Network.Sequential<float>(4).Dense(3).Build(seed: 1)), "plain");
        (plain.IrVersion, plain.OperatorSets.Single().Version).Should().Be((7, OnnxFile.OperatorSetVersion));
    }

    private static GraphProto LayerNormalizationGraph(long axis, long[] scaleDims)
    {
        var graph = Graph([2, 3], [2, 3]);
        graph.Initializers.Add(Raw("scale", scaleDims, [.. new float[] { 1, 2, 3, 4, 5, 6 }.Take((int)scaleDims.Aggregate(1L, (a, b) => a * b))]));
        graph.Nodes.Add(Node("LayerNormalization", ["x", "scale"], "y", Int("axis", axis), Float("epsilon", 0.5f)));
        return graph;
    }

    [Theory]
    [InlineData(-1, new long[] { 3 }, new[] { 3 })]
    [InlineData(1, new long[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(-2, new long[] { 1, 2, 3 }, new[] { 2, 3 })]
    public void Import_LayerNormalization_NormalisesTheAxesFromAxisOn(long axis, long[] scaleDims, int[] shape)
    {
        var imported = Import<float>(Model(LayerNormalizationGraph(axis, scaleDims), opset: 17));

        var layer = imported.Layers.Single().Should().BeOfType<LayerNorm<float>>().Subject;
        layer.NormalizedShape.Should().Equal(shape);
        layer.Epsilon.Should().Be(0.5);
        layer.Weight!.ValueSpan.ToArray().Should().Equal(new float[] { 1, 2, 3, 4, 5, 6 }.Take(layer.Weight.Length));
        layer.Bias!.ValueSpan.ToArray().Should().AllBeEquivalentTo(0f);
    }

    [Fact]
    public void Import_BadLayerNormalization_RefusedNamingTheNode()
    {
        var early = () => Import<float>(Model(LayerNormalizationGraph(-1, [3])));
        early.Should().Throw<InvalidDataException>().WithMessage("*(LayerNormalization) is in opset 13; LayerNormalization came in opset 17*");
        var batch = () => Import<float>(Model(LayerNormalizationGraph(0, [2, 3]), opset: 17));
        batch.Should().Throw<InvalidDataException>().WithMessage("*normalises from axis 0 of inputs of rank 3; only axes after the batch*");
        var shape = () => Import<float>(Model(LayerNormalizationGraph(-1, [6]), opset: 17));
        shape.Should().Throw<InvalidDataException>().WithMessage("*has a Scale 'scale' [6] for the normalised shape [3]; it must have that shape*");
    }

    // torch's form below opset 17, with the Pow's exponent and the ReduceMeans' axes as given.
    private static GraphProto Decomposed(float exponent, long[] firstAxes, long[] secondAxes)
    {
        var graph = Graph([2, 3], [2, 3]);
        graph.Initializers.Add(Raw("two", [], [exponent]));
        graph.Initializers.Add(Raw("eps", [], [1e-5f]));
        graph.Nodes.Add(Node("ReduceMean", ["x"], "mean", Ints("axes", firstAxes)));
        graph.Nodes.Add(Node("Sub", ["x", "mean"], "d"));
        graph.Nodes.Add(Node("Pow", ["d", "two"], "p"));
        graph.Nodes.Add(Node("ReduceMean", ["p"], "v", Ints("axes", secondAxes)));
        graph.Nodes.Add(Node("Add", ["v", "eps"], "a"));
        graph.Nodes.Add(Node("Sqrt", ["a"], "s"));
        graph.Nodes.Add(Node("Div", ["d", "s"], "y"));
        return graph;
    }

    [Fact]
    public void Import_TorchsReduceMeanForm_LayerNormWithoutAffine()
    {
        var layer = Import<float>(Model(Decomposed(2, [-2, -1], [1, 2]))).Layers.Single().Should().BeOfType<LayerNorm<float>>().Subject;
        (layer.NormalizedShape, layer.Epsilon, layer.ElementwiseAffine).Should().BeEquivalentTo((new[] { 2, 3 }, 1e-5, false));
    }

    [Theory]
    [InlineData(3f, new long[] { -1 }, new long[] { -1 }, "*(ReduceMean) begins branches*Pow*not the layer normalisation torch.onnx.export writes*")]
    [InlineData(2f, new long[] { -1 }, new long[] { -2, -1 }, "*reduces other axes than the ReduceMean of the mean*")]
    [InlineData(2f, new long[] { -2 }, new long[] { -2 }, "*reduces the axes [-2] of inputs of rank 3; a layer normalisation reduces the last axes*")]
    [InlineData(2f, new long[] { 0, 1, 2 }, new long[] { 0, 1, 2 }, "*reduces the axes [0, 1, 2]*never the batch*")]
    public void Import_OtherReduceMeanSubgraphs_Refused(float exponent, long[] firstAxes, long[] secondAxes, string message)
    {
        var act = () => Import<float>(Model(Decomposed(exponent, firstAxes, secondAxes)));
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
