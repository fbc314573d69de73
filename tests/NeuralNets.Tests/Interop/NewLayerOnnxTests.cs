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
