using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>Pooling in the forms PyTorch writes it: a Pad of zeros before AveragePool, GlobalAveragePool with or without a flatten.</summary>
public class OnnxPoolingImportTests
{
    [Fact]
    public void Import_ExportedGlobalAvgPool2D_ReadsBackAsOneLayer()
    {
        var network = Network.Sequential<float>([3, 5, 4]).GlobalAvgPool2D().Dense(2).Build(seed: 2);

        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
    }

    [Fact]
    public void Import_GlobalAveragePoolWithoutFlatten_KeepsTheUnitAxes()
    {
        var graph = Graph([2, 3, 3], [2, 1, 1]);
        graph.Nodes.Add(Node("GlobalAveragePool", ["x"], "y"));

        var network = Import<float>(Model(graph));

        network.Layers.Select(layer => layer.Describe().Kind).Should().Equal("GlobalAvgPool2D", "Unflatten");
        network.Predict([.. Enumerable.Range(0, 18).Select(i => (float)i)]).Should().Equal(4f, 13f);
    }

    [Fact]
    public void Import_ZeroPadThenAveragePool_IsAnAvgPool2DWhosePaddingCounts()
    {
        // PyTorch's AvgPool2d(2, padding=1) in opset 11 and later: the pads as a constant input.
        var graph = Graph([1, 2, 2], [1, 2, 2]);
        graph.Initializers.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        graph.Nodes.Add(Node("Pad", ["x", "pads"], "p"));
        graph.Nodes.Add(Node("AveragePool", ["p"], "y", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Int("ceil_mode", 0)));

        var network = Import<float>(Model(graph));

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<AvgPool2D<float>>().Which.Padding.Should().Be((1, 1));
        network.Predict([4f, 8f, 12f, 16f]).Should().Equal(1f, 2f, 3f, 4f);
    }

    [Theory]
    [InlineData(new long[] { 0, 0, 0, 0, 0, 0, 1, 1 }, "*'pad_p' (Pad) pads [0, 0, 0, 0, 0, 0, 1, 1] unequally*")]
    [InlineData(new long[] { 0, 1, 0, 0, 0, 1, 0, 0 }, "*'pad_p' (Pad) has pads [0, 1, 0, 0, 0, 1, 0, 0]; only padding of the height and width*")]
    public void Import_PadOtherThanAroundTheImage_FailsNamingIt(long[] pads, string message)
    {
        var graph = Graph([1, 4, 4], [1, 2, 2]);
        graph.Initializers.Add(Int64s("pads", pads));
        graph.Nodes.Add(Node("Pad", ["x", "pads"], "p"));
        graph.Nodes.Add(Node("AveragePool", ["p"], "y", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    /// <summary>From opset 11 Pad reads its pads and value from inputs; an attribute 'value' = 2 there is no part of it (ONNX Runtime refuses the model), and is not taken for zeros.</summary>
    [Theory]
    [InlineData("value")]
    [InlineData("pads")]
    public void Import_PadWithAttributesOfTheOldOperatorSet_FailsNamingIt(string attribute)
    {
        var graph = Graph([1, 2, 2], [1, 2, 2]);
        graph.Initializers.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        var old = attribute == "value" ? Float("value", 2f) : Ints("pads", 0, 0, 0, 0, 0, 0, 0, 0);
        graph.Nodes.Add(Node("Pad", ["x", "pads"], "p", old));
        graph.Nodes.Add(Node("AveragePool", ["p"], "y", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)));

        var act = () => Import<float>(Model(graph, opset: 11));

        act.Should().Throw<InvalidDataException>().WithMessage($"*'pad_p' (Pad) has the attribute '{attribute}', which cannot be imported*");
    }

    [Fact]
    public void Import_PadBeforeAConv_FailsNamingIt()
    {
        var graph = Graph([1, 2, 2], [1, 3, 3]);
        graph.Initializers.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        graph.Initializers.Add(Typed("w", [1, 1, 2, 2], [1, 1, 1, 1]));
        graph.Nodes.Add(Node("Pad", ["x", "pads"], "p"));
        graph.Nodes.Add(Node("Conv", ["p", "w"], "y"));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*'pad_p' (Pad) pads an image without an AveragePool after it*");
    }

    [Fact]
    public void Export_CeilModeAndPaddingNotCounted_ReadBackAsTheSameLayers()
    {
        var network = Network.Sequential<float>([2, 7, 9]).MaxPool2D(2, ceilMode: true).AvgPool2D(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
            .AvgPool2D((2, 1), padding: (1, 0), countIncludePad: false).MaxPool2D(2, stride: 2, padding: 1, ceilMode: true).Build(seed: 3);

        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
        var x = TestTensors.Random<float>(4, 3, 2, 7, 9);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Export_DefaultPools_WriteNoCeilMode_AndCountThePadding()
    {
        var network = Network.Sequential<float>([2, 7, 9]).MaxPool2D(2).AvgPool2D(3, stride: 1, padding: 1).Build(seed: 3);

        string text = System.Text.Encoding.Latin1.GetString(OnnxFile.ToBytes(network));

        text.Should().NotContain("ceil_mode").And.Contain("count_include_pad");
    }

    [Fact]
    public void Import_AveragePoolLeavingPaddingOut_IsAnAvgPool2DThatDoesToo()
    {
        var graph = Graph([1, 2, 2], [1, 3, 3]);
        graph.Nodes.Add(Node("AveragePool", ["x"], "y", Ints("kernel_shape", 2, 2), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 0)));

        var network = Import<float>(Model(graph));

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<AvgPool2D<float>>().Which.CountIncludePad.Should().BeFalse();
        // Each corner window holds one input, each edge window two, the centre all four.
        network.Predict([4f, 8f, 12f, 16f]).Should().Equal(4f, 6f, 8f, 8f, 10f, 12f, 12f, 14f, 16f);
    }

    [Theory]
    [InlineData("MaxPool", 13, 2, "*(MaxPool) has ceil_mode = 2; only 0 and 1 are defined*")]
    [InlineData("AveragePool", 9, 1, "*(AveragePool) has ceil_mode, which came in opset 10, in opset 9*")]
    public void Import_CeilModeNotDefined_FailsNamingIt(string op, long opset, long ceilMode, string message)
    {
        var graph = Graph([1, 4, 4], [1, 2, 2]);
        graph.Nodes.Add(Node(op, ["x"], "y", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Int("ceil_mode", ceilMode)));

        var act = () => Import<float>(Model(graph, opset));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
