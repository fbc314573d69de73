using NeuralNets.Data;
using NeuralNets.Interop;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>Graphs as other exporters write them, imported and checked against hand-computed values or a network built here.</summary>
public class OnnxImportTests
{
    [Fact]
    public void Import_GemmWithoutTransBTypedWeightsIdentityAndDropout_ComputesXTimesWPlusB()
    {
        // W is [in, out] = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1]; x = [1, -1, 2] gives x·W + b = [8.5, 9].
        var graph = Graph([3], [2]);
        graph.Initializers.Add(Typed("W", [3, 2], [1, 2, 3, 4, 5, 6]));
        graph.Initializers.Add(Typed("b", [2], [0.5f, -1]));
        graph.Initializers.Add(Typed("ratio", [], [0.5f]));
        graph.Nodes.Add(Node("Identity", ["x"], "x1"));
        graph.Nodes.Add(new NodeProto { Name = "drop", OpType = "Dropout", Inputs = ["x1", "ratio"], Outputs = ["x2", "mask"] });
        graph.Nodes.Add(Node("Gemm", ["x2", "W", "b"], "y", Int("transB", 0), Float("alpha", 1), Float("beta", 1)));

        var network = Import<float>(Model(graph));

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<Dense<float>>();
        network.Predict([1f, -1f, 2f]).Should().Equal(8.5f, 9f);
    }

    [Fact]
    public void Import_ConvMatMulAddReshapeFromConstant_PredictsAsTheSameNetworkBuiltHere()
    {
        var built = Network.Sequential<float>([2, 5, 5]).Conv2D(3, kernel: 3, padding: 1).ReLU().Flatten().Dense(4).Build(seed: 9);
        var conv = (Conv2D<float>)built.Layers[0];
        var dense = (Dense<float>)built.Layers[3];
        var transposed = new float[dense.Inputs * dense.Outputs];
        for (int o = 0; o < dense.Outputs; o++)
            for (int i = 0; i < dense.Inputs; i++) transposed[i * dense.Outputs + o] = dense.Weight.ValueSpan[o * dense.Inputs + i];
        var graph = Graph([2, 5, 5], [4]);
        graph.Initializers.Add(Raw("conv.w", [3, 2, 3, 3], conv.Weight.ValueSpan.ToArray()));
        graph.Initializers.Add(Raw("conv.b", [3], conv.Bias!.ValueSpan.ToArray()));
        graph.Initializers.Add(Raw("fc.w", [75, 4], transposed));
        graph.Initializers.Add(Raw("fc.b", [4], dense.Bias!.ValueSpan.ToArray()));
        graph.Nodes.Add(new NodeProto
        {
            Name = "shape", OpType = "Constant", Outputs = ["shape"],
            Attributes = [new AttributeProto { Name = "value", Type = OnnxAttributeType.Tensor, T = Int64s("", 0, -1) }],
        });
        graph.Nodes.Add(Node("Conv", ["x", "conv.w", "conv.b"], "c", Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Int("group", 1)));
        graph.Nodes.Add(Node("Relu", ["c"], "r"));
        graph.Nodes.Add(Node("Reshape", ["r", "shape"], "flat"));
        graph.Nodes.Add(Node("MatMul", ["flat", "fc.w"], "m"));
        graph.Nodes.Add(Node("Add", ["m", "fc.b"], "y"));

        var network = Import<float>(Model(graph));

        network.Layers.Select(l => l.Describe()).Should().Equal(built.Layers.Select(l => l.Describe()));
        var input = TestTensors.Random<float>(2, 4, 2, 5, 5);
        network.Predict(input).ToArray().Should().Equal(built.Predict(input).ToArray());
    }

    [Fact]
    public void Import_ExportedMlp_TrainsBitIdenticallyToTheOriginal()
    {
        var data = SyntheticData.TwoSpirals<double>(pointsPerClass: 50, seed: 1);
        var original = Network.Sequential<double>([2]).Dense(16).Tanh().Dense(2).Build(seed: 4);
        var imported = OnnxFile.FromBytes<double>(OnnxFile.ToBytes(original));
        var options = new TrainingOptions { Epochs = 5, BatchSize = 10, Seed = 3 };

        var before = new Trainer<double>(imported, new SoftmaxCrossEntropy<double>(), new Adam<double>(imported.Parameters, learningRate: 0.01)).Evaluate(data).Loss;
        new Trainer<double>(original, new SoftmaxCrossEntropy<double>(), new Adam<double>(original.Parameters, learningRate: 0.01)).Fit(data, options, cancellationToken: TestContext.Current.CancellationToken);
        var trainer = new Trainer<double>(imported, new SoftmaxCrossEntropy<double>(), new Adam<double>(imported.Parameters, learningRate: 0.01));
        trainer.Fit(data, options, cancellationToken: TestContext.Current.CancellationToken);

        trainer.Evaluate(data).Loss.Should().BeLessThan(before);
        for (int i = 0; i < original.Parameters.Count; i++)
            imported.Parameters[i].ValueSpan.ToArray().Should().Equal(original.Parameters[i].ValueSpan.ToArray());
    }

    [Fact]
    public void Import_BranchingGraph_FailsNamingTheNodes()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("Relu", ["x"], "a"));
        graph.Nodes.Add(Node("Sigmoid", ["a"], "y"));
        graph.Nodes.Add(Node("Tanh", ["a"], "unused"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*'a' feeds 2 nodes*'sigmoid_y' (Sigmoid)*'tanh_unused' (Tanh)*only a chain*");
    }

    [Theory]
    [InlineData("Gelu", "*node 'gelu_y' (Gelu) is an operator that cannot be imported*")]
    [InlineData("Hardmax", "*node 'hardmax_y' (Hardmax) is an operator that cannot be imported*")]
    public void Import_UnsupportedOperator_FailsNamingNodeAndOperator(string op, string message)
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node(op, ["x"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData("alpha", "*'gemm_y' (Gemm) scales by alpha or beta other than 1*")]
    [InlineData("transA", "*'gemm_y' (Gemm) transposes its input*")]
    [InlineData("broadcast", "*'gemm_y' (Gemm) has the attribute 'broadcast'*")]
    public void Import_GemmWithUnsupportedAttribute_FailsNamingIt(string attribute, string message)
    {
        var graph = Graph([2], [2]);
        graph.Initializers.Add(Typed("W", [2, 2], [1, 0, 0, 1]));
        graph.Nodes.Add(Node("Gemm", ["x", "W"], "y", attribute == "alpha" ? Float("alpha", 2) : Int(attribute, 1)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Import_ConvWithUnequalPads_FailsNamingTheNode()
    {
        var graph = Graph([1, 4, 4], [1, 4, 3]);
        graph.Initializers.Add(Typed("w", [1, 1, 1, 1], [1]));
        graph.Nodes.Add(Node("Conv", ["x", "w"], "y", Ints("pads", 0, 0, 0, 1)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*'conv_y' (Conv) pads [0, 0, 0, 1] unequally*");
    }

    [Fact]
    public void Import_DoubleModelAsFloat_FailsSayingWhichType()
    {
        var graph = Graph([4], [4], elementType: OnnxDataType.Double);
        graph.Nodes.Add(Node("Relu", ["x"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*input 'x' is double; load the model as Sequential of that type, not Single*");
    }

    [Fact]
    public void Import_TypedWeightsOfTheWrongCount_FailsNamingTheTensor()
    {
        var graph = Graph([3], [2]);
        graph.Initializers.Add(Typed("W", [2, 3], [1, 2, 3, 4, 5]));
        graph.Nodes.Add(Node("Gemm", ["x", "W"], "y", Int("transB", 1)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*(Gemm) has a weight 'W' [2, 3] with 5 values, expected 6*");
    }

    [Fact]
    public void Export_LayerWithoutMapping_FailsNamingIt()
    {
        var network = new Sequential<double>([3], new Dense<double>(3, 3, seed: 1), new NeuralNets.Tests.Diagnostics.StaleSquare());

        var act = () => OnnxFile.ToBytes(network);

        act.Should().Throw<ArgumentException>().WithMessage("Layer 1 (*has no ONNX mapping for its kind 'StaleSquare'*");
    }

    /// <summary>A layer inside a residual block is named by its place: block 1, body 0, layer 1.</summary>
    [Fact]
    public void Export_LayerWithoutMappingInABlock_FailsNamingItsPlace()
    {
        var network = new Sequential<double>([3], new Dense<double>(3, 3, seed: 1),
            new Residual<double>(new Sequential<double>(new Dense<double>(3, 3, seed: 2), new NeuralNets.Tests.Diagnostics.StaleSquare())));

        var act = () => OnnxFile.ToBytes(network);

        act.Should().Throw<ArgumentException>().WithMessage("Layer 1.0.1 (*has no ONNX mapping for its kind 'StaleSquare'*");
    }

    [Fact]
    public void Export_MappingGivenInOptions_IsUsedForItsKind()
    {
        var network = new Sequential<float>([3], new Dense<float>(3, 3, seed: 1), new Sequential<float>(new ReLU<float>()));
        var options = new OnnxExportOptions
        {
            Mappings = new Dictionary<string, OnnxLayerMapping>
            {
                ["Sequential"] = step => step.Layer is Sequential<float> { Layers: [ReLU<float>] } ? step.AddNode("Relu", [step.Input]) : throw new NotSupportedException("not a ReLU"),
            },
        };

        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network, options));

        imported.Layers[1].Should().BeOfType<ReLU<float>>();
    }

    [Fact]
    public void Export_SoftmaxOverAnImage_FailsSayingWhy()
    {
        var network = Network.Sequential<float>([1, 3, 3]).Softmax().Build(seed: 1);

        var act = () => OnnxFile.ToBytes(network);

        act.Should().Throw<NotSupportedException>().WithMessage("Layer 0 (Softmax()) cannot be exported*put a Flatten before it*");
    }
}
