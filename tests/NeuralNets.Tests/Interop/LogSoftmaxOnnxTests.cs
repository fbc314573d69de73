using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// LogSoftmax to and from ONNX: exported as LogSoftmax(axis = −1) after a vector, as Softmax is; imported where ONNX's axis
/// means a whole sample (the last axis of a vector, or from axis 1 on before opset 13), refused elsewhere naming the node.
/// </summary>
public class LogSoftmaxOnnxTests
{
    [Fact]
    public void Export_MnistExampleShape_WritesLogSoftmaxOverTheLastAxisAndReadsBackTheSameBits()
    {
        var network = Network.Sequential<double>([1, 12, 12]).Conv2D(4, kernel: 3).ReLU().Conv2D(8, kernel: 3).ReLU().MaxPool2D(2).Dropout(0.25)
            .Flatten().Dense(16).ReLU().Dropout(0.5).Dense(10).LogSoftmax().Build(seed: 3);

        var model = OnnxDecoder.Decode(OnnxFile.ToBytes(network), "export");
        var imported = OnnxFile.FromBytes<double>(OnnxFile.ToBytes(network));

        var node = model.Graph!.Nodes[^1];
        node.OpType.Should().Be("LogSoftmax");
        node.Attributes.Should().ContainSingle().Which.I.Should().Be(-1);
        imported.Layers[^1].Should().BeOfType<LogSoftmax<double>>();
        var x = TestTensors.Random<double>(4, 5, 1, 12, 12);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Export_LogSoftmaxOverAnImage_FailsSayingWhy()
    {
        var network = Network.Sequential<float>([1, 3, 3]).LogSoftmax().Build(seed: 1);

        var act = () => OnnxFile.ToBytes(network);

        act.Should().Throw<NotSupportedException>().WithMessage("Layer 0 (LogSoftmax()) cannot be exported*ONNX's LogSoftmax normalises over one axis*put a Flatten before it*");
    }

    /// <summary>Opset 13 normalises over one axis (default −1); earlier sets flatten from the axis on (default 1).</summary>
    [Theory]
    [InlineData(13, null)]
    [InlineData(13, -1L)]
    [InlineData(13, 1L)]
    [InlineData(11, null)]
    [InlineData(11, 1L)]
    [InlineData(11, -1L)]
    [InlineData(9, null)]
    [InlineData(1, 1L)]
    public void Import_LogSoftmaxOverAVector_IsTheLayer(long opset, long? axis)
    {
        var graph = Graph([4], [4], OnnxDataType.Double);
        graph.Nodes.Add(axis is { } a ? Node("LogSoftmax", ["x"], "y", Int("axis", a)) : Node("LogSoftmax", ["x"], "y"));

        var network = Import<double>(Model(graph, opset));

        network.Layers.Should().ContainSingle().Which.Should().BeOfType<LogSoftmax<double>>();
        double logSum = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3) + Math.Exp(4));
        network.Predict([1.0, 2.0, 3.0, 4.0]).Should().Equal(new[] { 1 - logSum, 2 - logSum, 3 - logSum, 4 - logSum }, (p, q) => Math.Abs(p - q) < 1e-15);
    }

    [Theory]
    [InlineData(11, 1L, true)]     // from axis 1 on: the whole sample
    [InlineData(11, -3L, true)]    // the same axis counted from the end
    [InlineData(11, 2L, false)]    // each channel's rows apart
    [InlineData(11, -1L, false)]
    [InlineData(13, 1L, false)]    // opset 13: over the channels alone
    [InlineData(13, -1L, false)]
    public void Import_LogSoftmaxOverAnImage_ReadOnlyWhereItIsTheWholeSample(long opset, long axis, bool read)
    {
        var graph = Graph([2, 3, 3], [2, 3, 3]);
        graph.Nodes.Add(Node("LogSoftmax", ["x"], "y", Int("axis", axis)));

        var act = () => Import<float>(Model(graph, opset));

        if (read) act().Layers.Should().ContainSingle().Which.Should().BeOfType<LogSoftmax<float>>();
        else act.Should().Throw<InvalidDataException>()
            .WithMessage($"*node 'logsoftmax_y' (LogSoftmax) normalises over axis {axis} of samples of shape [2, 3, 3]; NeuralNets' LogSoftmax normalises over a whole sample*");
    }

    [Fact]
    public void Import_LogSoftmaxWithAnUnknownAttribute_FailsNamingIt()
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(Node("LogSoftmax", ["x"], "y", Int("axis", 1), Int("keepdims", 1)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*'logsoftmax_y' (LogSoftmax) has the attribute 'keepdims'*");
    }
}
