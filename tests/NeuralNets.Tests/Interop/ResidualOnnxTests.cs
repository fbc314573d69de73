using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Residual blocks through ONNX: exported as both branches reading the block's input and an Add joining them, read back
/// from such graphs (ours, and hand-built ones in the orders other exporters write) as <see cref="Residual{T}"/> layers.
/// </summary>
public class ResidualOnnxTests
{
    /// <summary>A stem and two of torchvision's BasicBlocks (post-activation), the second with a strided projection, BatchNorms trained a little.</summary>
    internal static Sequential<T> BasicBlocks<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Trained(Network.Sequential<T>([2, 6, 6]).Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU()
            .Residual(b => b.Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D()).ReLU()
            .Residual(b => b.Conv2D(6, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(6, 3, padding: 1, bias: false).BatchNorm2D(),
                shortcut: s => s.Conv2D(6, 1, stride: 2, bias: false).BatchNorm2D()).ReLU()
            .GlobalAvgPool2D().Dense(3).Build(seed: 2));

    /// <summary>A block inside a block's body, then a block with a projection right after it.</summary>
    internal static Sequential<T> NestedBlocks<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([5]).Dense(6).Tanh()
            .Residual(b => b.Dense(6).ReLU().Residual(inner => inner.Dense(4).Tanh().Dense(6)).Dense(6))
            .Residual(b => b.Dense(3).Sigmoid(), shortcut: s => s.Dense(3, bias: false))
            .Dense(2).Build(seed: 3);

    /// <summary>
    /// Gives each BatchNorm statistics, γ and β of its own (as training would, but with no batches counted, a count ONNX
    /// does not hold).
    /// </summary>
    private static Sequential<T> Trained<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        foreach (var norm in Norms(network))
        {
            k++;
            var c = Enumerable.Range(0, norm.Features).ToArray();
            norm.SetRunningStatistics([.. c.Select(i => 0.1 * i - 0.15 * k)], [.. c.Select(i => 0.5 + 0.2 * i + 0.1 * k)]);
            foreach (int i in c) (norm.Weight!.ValueSpan[i], norm.Bias!.ValueSpan[i]) = (T.CreateChecked(1 + 0.1 * i), T.CreateChecked(0.05 * i - 0.1 * k));
        }
        return network;
    }

    private static IEnumerable<BatchNorm<T>> Norms<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Layers.SelectMany(l => l is Residual<T> block ? block.Branches.SelectMany(Norms) : l is BatchNorm<T> norm ? [norm] : []);

    [Fact]
    public void Export_IdentityBlock_BodyAndAddReadTheBlocksInput()
    {
        var network = Network.Sequential<float>([4]).Dense(4).Residual(b => b.Dense(4).ReLU()).Build(seed: 1);

        var graph = OnnxDecoder.Decode(OnnxFile.ToBytes(network), "exported").Graph!;

        graph.Nodes.Select(n => n.Name).Should().Equal("/0/Gemm", "/1/0/0/Gemm", "/1/0/1/Relu", "/1/Add");
        graph.Nodes[1].Inputs[0].Should().Be("/0/Gemm_output");
        graph.Nodes[3].Inputs.Should().Equal("/1/0/1/Relu_output", "/0/Gemm_output");
        graph.Nodes[3].Outputs.Should().Equal("output");
        graph.Initializers.Select(t => t.Name).Should().Equal(network.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Export_ProjectionBlock_ShortcutReadsTheInputToo_NamesUnique()
    {
        var network = BasicBlocks<float>();

        var graph = OnnxDecoder.Decode(OnnxFile.ToBytes(network), "exported").Graph!;

        var add = graph.Nodes.Single(n => n.Name == "/5/Add");
        var body = graph.Nodes.Single(n => n.Name == "/5/0/0/Conv");
        var shortcut = graph.Nodes.Single(n => n.Name == "/5/1/0/Conv");
        shortcut.Inputs[0].Should().Be(body.Inputs[0]).And.Be("/4/Relu_output");
        add.Inputs.Should().Equal("/5/0/4/BatchNormalization_output", "/5/1/1/BatchNormalization_output");
        graph.Nodes.Select(n => n.Name).Should().OnlyHaveUniqueItems();
        graph.Nodes.SelectMany(n => n.Outputs).Should().OnlyHaveUniqueItems();
        graph.Initializers.Select(t => t.Name).Should().OnlyHaveUniqueItems().And.Contain("5.1.0.weight", "5.1.1.weight");
    }

    [Fact]
    public void SaveLoad_BasicBlocksFloat_SameLayersAndBitIdenticalPredictions() => RoundTrip(BasicBlocks<float>());

    [Fact]
    public void SaveLoad_NestedAndConsecutiveBlocksFloat_SameLayersAndBitIdenticalPredictions() => RoundTrip(NestedBlocks<float>());

    [Fact]
    public void SaveLoad_NestedAndConsecutiveBlocksDouble_SameLayersAndBitIdenticalPredictions() => RoundTrip(NestedBlocks<double>());

    /// <summary>A nested network's layers are written in its place; they come back as layers of the network itself.</summary>
    [Fact]
    public void SaveLoad_BlockInsideANestedNetwork_ComesBackFlatPredictingTheSame()
    {
        var inner = Network.Sequential<double>([4]).Dense(4).Residual(b => b.Dense(4).Tanh()).Build(seed: 4);
        var network = new Sequential<double>([4], inner, new Dense<double>(4, 2, seed: 5));

        var loaded = OnnxFile.FromBytes<double>(OnnxFile.ToBytes(network));

        loaded.DescribeLayers().Should().Equal([.. inner.DescribeLayers(), network.Layers[1].Describe()]);
        loaded.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.0.0.weight", "1.0.0.bias", "2.weight", "2.bias");
        var input = TestTensors.Random<double>(6, [3, 4]);
        loaded.Predict(input).ToArray().Should().Equal(network.Predict(input).ToArray());
    }

    /// <summary>x + relu(x), with the Add's inputs in either order: the branch with nodes is the body, the shortcut the identity.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Import_AddOfABranchAndItsInput_IsAnIdentityBlock(bool bodyFirst)
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Relu", ["x"], "a"));
        graph.Nodes.Add(Node("Add", bodyFirst ? ["a", "x"] : ["x", "a"], "y"));

        var network = Import<float>(Model(graph));

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<Residual<float>>()
            .Which.Should().Match<Residual<float>>(r => r.Shortcut == null && r.Body.Layers.Count == 1 && r.Body.Layers[0] is ReLU<float>);
        network.Predict(Tensor.Create([-2f, -0.5f, 0.5f, 2f], [1, 4])).ToArray().Should().Equal(-2, -0.5f, 1, 4);
    }

    /// <summary>Two branches with nodes: the Add's first input is the body, whichever branch the graph lists first.</summary>
    [Fact]
    public void Import_TwoBranches_FirstAddInputIsTheBody()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Sigmoid", ["x"], "s"));
        graph.Nodes.Add(Node("Relu", ["x"], "r"));
        graph.Nodes.Add(Node("Tanh", ["r"], "t"));
        graph.Nodes.Add(Node("Add", ["t", "s"], "y"));

        var block = (Residual<float>)Import<float>(Model(graph)).Layers.Single();

        block.Body.Layers.Select(l => l.GetType()).Should().Equal(typeof(ReLU<float>), typeof(Tanh<float>));
        block.Shortcut!.Layers.Should().ContainSingle().Which.Should().BeOfType<Sigmoid<float>>();
    }

    [Fact]
    public void Import_InputAddedToItself_FailsNamingTheAdd()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Relu", ["x"], "a"));
        graph.Nodes.Add(Node("Add", ["a", "a"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*node 'add_y' (Add) adds 'a' to itself; only a residual block*");
    }

    [Fact]
    public void Import_BranchesSharingANode_FailNamingTheAdd()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Relu", ["x"], "a"));
        graph.Nodes.Add(Node("Tanh", ["a"], "b"));
        graph.Nodes.Add(Node("Mul", ["x", "b"], "c"));
        graph.Nodes.Add(Node("Add", ["b", "c"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*node 'add_y' (Add) adds two branches from 'x' that share the node 'relu_a' (Relu)*");
    }

    /// <summary>An identity shortcut around a body that changes the shape cannot be added: the message names both shapes.</summary>
    [Fact]
    public void Import_BranchesOfDifferentShapes_FailNamingTheAddAndTheShapes()
    {
        var graph = Graph([4], [3]);
        graph.Initializers.Add(Raw("W", [3, 4], new float[12]));
        graph.Nodes.Add(Node("Gemm", ["x", "W"], "a", Int("transB", 1)));
        graph.Nodes.Add(Node("Add", ["a", "x"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*node 'add_y' (Add) cannot be built*[4]*[3]*");
    }

    /// <summary>Branches that join in anything but an Add of the two, and fit no activation function, are still refused.</summary>
    [Fact]
    public void Import_BranchesJoinedByMul_FailNamingTheNode()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Relu", ["x"], "a"));
        graph.Nodes.Add(Node("Mul", ["a", "x"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*node 'mul_y' (Mul) takes 2 computed inputs*no residual block*only a chain*");
    }

    /// <summary>Sixty-four blocks nested in one another import; a sixty-fifth is refused rather than allowed to exhaust the stack.</summary>
    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Import_NestedBlocks_UpTo64Deep(int depth, bool accepted)
    {
        var graph = Graph([4], [4]);
        // Block k (outermost k = 0) reads v{k}: its body is a Relu and then block k + 1; the innermost body a Relu alone.
        for (int k = 0; k < depth; k++) graph.Nodes.Add(Node("Relu", [k == 0 ? "x" : $"v{k}"], $"v{k + 1}"));
        for (int k = depth - 1; k >= 0; k--) graph.Nodes.Add(Node("Add", [k == depth - 1 ? $"v{depth}" : $"s{k + 1}", k == 0 ? "x" : $"v{k}"], k == 0 ? "y" : $"s{k}"));

        var act = () => Import<float>(Model(graph));

        if (accepted) act.Should().NotThrow();
        else act.Should().Throw<InvalidDataException>().WithMessage("*node 'add_s64' (Add) ends a residual block nested in 64 others*");
    }

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var loaded = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        loaded.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        for (int i = 0; i < network.Parameters.Count; i++) loaded.Parameters[i].ValueSpan.ToArray().Should().Equal(network.Parameters[i].ValueSpan.ToArray());
        var input = TestTensors.Random<T>(5, [3, .. network.InputShape!]);
        loaded.Predict(input).ToArray().Should().Equal(network.Predict(input).ToArray());
    }
}
