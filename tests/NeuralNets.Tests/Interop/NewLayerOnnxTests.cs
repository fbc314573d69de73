using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>ONNX round trips of the issue 16 layers, written as one opset-13 operator (Elu; Softplus with β = 1 and threshold ≥ 40) or as a subgraph of elementwise nodes.</summary>
public class NewLayerOnnxTests
{
    [Fact]
    public void EluAndSoftplus_ExportThenImport_PredictTheSame()
    {
        var network = Network.Sequential<float>(12).Dense(8).ELU(0.5).Dense(6).Softplus(beta: 1, threshold: 40).Build(seed: 3);
        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));
        imported.Layers.OfType<ELU<float>>().Single().Alpha.Should().Be(0.5);
        var x = TestTensors.Random<float>(4, 5, 12);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void SubgraphActivations_ExportThenImport_SameLayersAndPredictions()
    {
        // GELU (both forms), SiLU, Softplus with β ≠ 1 or a threshold below 40, and ELU with an α a float cannot hold
        // export as small subgraphs of elementwise nodes, which the importer recognises.
        var network = Network.Sequential<double>(6).Dense(6).GELU().Dense(6).GELU(tanhApproximation: true).Dense(6).SiLU()
            .Dense(6).Softplus(beta: 2, threshold: 3).Dense(6).ELU(0.3).Build(seed: 4);

        var imported = OnnxFile.FromBytes<double>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
        var x = TestTensors.Random<double>(2, 5, 6);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Import_BranchesJoiningInAFunctionWithoutALayer_FailsNamingTheJoin()
    {
        // x · tanh(x): elementwise, but no layer of NeuralNets computes it.
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Nodes.Add(OnnxGraphs.Node("Tanh", ["x"], "t"));
        graph.Nodes.Add(OnnxGraphs.Node("Mul", ["x", "t"], "y"));

        var act = () => OnnxGraphs.Import<float>(OnnxGraphs.Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*node 'mul_y' (Mul) takes 2 computed inputs ('x', 't'), joining the branches from 'x' through 'tanh_t' (Tanh)*GELU, SiLU*");
    }
}

/// <summary>ONNX both ways for the hard activations: our Clip forms read back, and the forms PyTorch's exporter writes (HardSigmoid, x times it, HardSwish, Clip with attributes).</summary>
public class HardActivationOnnxTests
{
    [Fact]
    public void HardActivations_ExportThenImport_SameLayersAndBits()
    {
        var network = Network.Sequential<double>(6).Dense(6).ReLU6().Dense(6).Hardsigmoid().Dense(6).Hardswish().Dense(6).Hardtanh(-0.3, 0.45).Build(seed: 5);
        foreach (ref double weight in network.Layers.OfType<Dense<double>>().First().Weight.ValueSpan) weight *= 8;

        var imported = OnnxFile.FromBytes<double>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
        var x = TestTensors.Random<double>(2, 9, 6);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    public void TorchForms_Import_AsTheLayers(int opset)
    {
        // HardSigmoid(α = 1/6 as a float, β = ½), x · HardSigmoid(x) (Hardswish before opset 14), HardSwish, Clip(0, 6).
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Nodes.Add(OnnxGraphs.Node("HardSigmoid", ["x"], "s", OnnxGraphs.Float("alpha", 1f / 6), OnnxGraphs.Float("beta", 0.5f)));
        graph.Nodes.Add(OnnxGraphs.Node("HardSigmoid", ["s"], "g", OnnxGraphs.Float("alpha", 1f / 6), OnnxGraphs.Float("beta", 0.5f)));
        graph.Nodes.Add(OnnxGraphs.Node("Mul", ["s", "g"], "w"));
        graph.Nodes.Add(OnnxGraphs.Node(opset >= 14 ? "HardSwish" : "Relu", ["w"], "h"));
        graph.Initializers.Add(OnnxGraphs.Raw("lo", [], [0f]));
        graph.Initializers.Add(OnnxGraphs.Raw("hi", [], [6f]));
        graph.Nodes.Add(OnnxGraphs.Node("Clip", ["h", "lo", "hi"], "y"));

        var imported = OnnxGraphs.Import<float>(OnnxGraphs.Model(graph, opset));

        imported.DescribeLayers().Select(d => d.ToString()).Should().Equal(
            ["Hardsigmoid()", "Hardswish()", opset >= 14 ? "Hardswish()" : "ReLU()", "Hardtanh(min=0, max=6)"]);
    }

    [Fact]
    public void ClipWithAttributes_BeforeOpset11_ImportsAsHardtanh()
    {
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Nodes.Add(OnnxGraphs.Node("Clip", ["x"], "y", OnnxGraphs.Float("min", -1), OnnxGraphs.Float("max", 2.5f)));

        OnnxGraphs.Import<float>(OnnxGraphs.Model(graph, 10)).DescribeLayers().Single().ToString().Should().Be("Hardtanh(min=-1, max=2.5)");
    }

    [Fact]
    public void HardSigmoid_WithKerasSlope_IsRefusedNamingIt()
    {
        // ONNX's default α = 0.2 (Keras's hard sigmoid) is not PyTorch's Hardsigmoid.
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Nodes.Add(OnnxGraphs.Node("HardSigmoid", ["x"], "y"));

        var act = () => OnnxGraphs.Import<float>(OnnxGraphs.Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*'hardsigmoid_y' (HardSigmoid)*Hardsigmoid*");
    }
}
