using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Squeeze and Unsqueeze in the data path become the layers a Reshape that keeps the batch would: none for a run that
/// gives the samples their shape back, one Flatten or Unflatten otherwise. NeuralNets.OnnxRuntime.Tests checks the same
/// kinds of graph, and those that must be refused, against ONNX Runtime.
/// </summary>
public class OnnxSqueezeImportTests
{
    private static string[] Kinds(Sequential<double> network) => [.. network.Layers.Select(l => l.Describe().Kind)];

    /// <summary>A double Gemm into two outputs after <paramref name="from"/>, whose samples hold <paramref name="features"/> values.</summary>
    private static void Gemm(GraphProto graph, string from, int features)
    {
        graph.Initializers.Add(new TensorProto { Name = "w", DataType = OnnxDataType.Double, Dims = [features, 2], DoubleData = [.. Enumerable.Range(0, 2 * features).Select(i => 0.5 * i - 1)] });
        graph.Nodes.Add(Node("Gemm", [from, "w"], "y"));
    }

    [Fact]
    public void Import_UnsqueezeUndoneBySqueeze_AddsNoLayer()
    {
        var graph = Graph([3], [2], OnnxDataType.Double);
        graph.Initializers.Add(Int64s("at2", 2));
        graph.Initializers.Add(Int64s("at_last", -1));
        graph.Nodes.Add(Node("Unsqueeze", ["x", "at_last"], "u"));
        graph.Nodes.Add(Node("Squeeze", ["u", "at2"], "s"));
        Gemm(graph, "s", 3);

        var network = Import<double>(Model(graph));

        Kinds(network).Should().Equal("Dense");
        // x · W for W = [[-1, -0.5], [0, 0.5], [1, 1.5]].
        network.Predict([1.0, 2.0, 3.0]).Should().Equal(2.0, 5.0);
    }

    [Fact]
    public void Import_GlobalAveragePoolThenSqueezeOfItsUnitAxes_IsTheGlobalPoolAlone()
    {
        var graph = Graph([2, 2, 2], [2], OnnxDataType.Double);
        graph.Initializers.Add(Int64s("axes", 3, 2));
        graph.Nodes.Add(Node("GlobalAveragePool", ["x"], "g"));
        graph.Nodes.Add(Node("Squeeze", ["g", "axes"], "s"));
        Gemm(graph, "s", 2);

        var network = Import<double>(Model(graph));

        Kinds(network).Should().Equal("GlobalAvgPool2D", "Dense");
        // Channel means 2.5 and 6.5, times W = [[-1, -0.5], [0, 0.5]].
        network.Predict([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]).Should().Equal(-2.5, 2.0);
    }

    [Fact]
    public void Import_SqueezeOfAUnitAxisOfImages_IsAFlatten()
    {
        var graph = Graph([3, 1], [3], OnnxDataType.Double);
        graph.Nodes.Add(Node("Squeeze", ["x"], "y", Ints("axes", 2)));

        var network = Import<double>(Model(graph, opset: 11));

        Kinds(network).Should().Equal("Flatten");
        network.OutputShapeOfNetwork.Should().Equal(3);
    }

    [Fact]
    public void Import_UnsqueezeAfterTheBatch_IsAnUnflatten()
    {
        var graph = Graph([2, 3], [2, 1, 3], OnnxDataType.Double);
        graph.Initializers.Add(Int64s("axes", 2));
        graph.Nodes.Add(Node("Unsqueeze", ["x", "axes"], "u"));
        graph.Nodes.Add(Node("Relu", ["u"], "y"));

        var network = Import<double>(Model(graph));

        Kinds(network).Should().Equal("Flatten", "Unflatten", "ReLU");
        network.OutputShapeOfNetwork.Should().Equal(2, 1, 3);
    }

    [Theory]
    [InlineData(new long[] { }, "*'squeeze_y' (Squeeze) squeezes every axis of length 1, which takes the batch's as well when the batch is 1*")]
    [InlineData(new long[] { 0 }, "*'squeeze_y' (Squeeze) squeezes the batch's axis (0)*")]
    [InlineData(new long[] { -3 }, "*'squeeze_y' (Squeeze) squeezes the batch's axis (0)*")]
    [InlineData(new long[] { 1 }, "*'squeeze_y' (Squeeze) squeezes axes [1] of samples of shape [3, 1], not all of length 1*")]
    [InlineData(new long[] { 3 }, "*'squeeze_y' (Squeeze) has axes [3] outside a rank of 3, or repeated*")]
    public void Import_SqueezeOfTheBatchOrOfNoUnitAxis_FailsNamingTheNode(long[] axes, string message)
    {
        var graph = Graph([3, 1], [3], OnnxDataType.Double);
        graph.Initializers.Add(Int64s("axes", axes));
        graph.Nodes.Add(Node("Squeeze", axes.Length == 0 ? ["x"] : ["x", "axes"], "y"));

        var act = () => Import<double>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
