using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// LogSoftmax to and from ONNX: exported as LogSoftmax(axis = −1) after a vector, as Softmax is, and LogSoftmax(axis = 1)
/// over an image's channels; imported where ONNX's axis is the layer's (the last of a vector, axis 1 from opset 13) or a
/// whole sample (from axis 1 on before opset 13, through a Flatten and an Unflatten), refused elsewhere naming the node.
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
    public void Export_LogSoftmaxOverAnImage_WritesAxisOneAndReadsBackTheSameBits()
    {
        var network = Network.Sequential<float>([2, 3, 3]).Conv2D(3, kernel: 1).LogSoftmax().Build(seed: 1);
        var x = TestTensors.Random<float>(2, 2, 2, 3, 3);

        var bytes = OnnxFile.ToBytes(network);
        var node = OnnxDecoder.Decode(bytes, "export").Graph!.Nodes[^1];
        var imported = OnnxFile.FromBytes<float>(bytes);

        node.OpType.Should().Be("LogSoftmax");
        node.Attributes.Should().ContainSingle().Which.I.Should().Be(1);
        imported.Layers[^1].Should().BeOfType<LogSoftmax<float>>();
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
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

    /// <summary>
    /// Over an image: opset 13's axis 1 is the layer's own axis (the channels); before opset 13 axis 1 is the whole sample,
    /// read as a Flatten, the layer and an Unflatten back; any other axis is refused.
    /// </summary>
    [Theory]
    [InlineData(13, 1L, "channels")]
    [InlineData(13, -3L, "channels")]     // axis 1 counted from the end
    [InlineData(17, 1L, "channels")]
    [InlineData(11, 1L, "whole sample")]  // from axis 1 on
    [InlineData(11, -3L, "whole sample")]
    [InlineData(11, 2L, null)]            // each channel's rows apart
    [InlineData(11, -1L, null)]
    [InlineData(13, -1L, null)]           // opset 13: over each row alone
    [InlineData(13, 2L, null)]
    public void Import_LogSoftmaxOverAnImage_ReadWhereItIsAxisOneOrTheWholeSample(long opset, long axis, string? over)
    {
        var graph = Graph([2, 3, 3], [2, 3, 3]);
        graph.Nodes.Add(Node("LogSoftmax", ["x"], "y", Int("axis", axis)));
        var x = TestTensors.Random<float>(3, 2, 2, 3, 3);

        var act = () => Import<float>(Model(graph, opset));

        if (over is null)
        {
            act.Should().Throw<InvalidDataException>()
                .WithMessage($"*node 'logsoftmax_y' (LogSoftmax) normalises over axis {axis} of samples of shape [2, 3, 3]; NeuralNets' LogSoftmax normalises over axis 1 (or, before opset 13, from axis 1 on)*");
            return;
        }
        var network = act();
        var values = x.ToArray();
        var expected = new float[values.Length];
        if (over == "channels")
        {
            network.DescribeLayers().Select(d => d.Kind).Should().Equal("LogSoftmax");
            for (int n = 0; n < 2; n++)
                for (int p = 0; p < 9; p++)
                    LogSoftmaxOf(values, expected, n * 18 + p, 9, 2);
        }
        else
        {
            network.DescribeLayers().Select(d => d.Kind).Should().Equal("Flatten", "LogSoftmax", "Unflatten");
            for (int n = 0; n < 2; n++) LogSoftmaxOf(values, expected, n * 18, 1, 18);
        }
        network.Predict(x).ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    // The log-softmax of `count` values of x from `start`, `stride` apart, into y at the same places (in double).
    private static void LogSoftmaxOf(float[] x, float[] y, int start, int stride, int count)
    {
        double max = double.NegativeInfinity, sum = 0;
        for (int i = 0; i < count; i++) max = Math.Max(max, x[start + i * stride]);
        for (int i = 0; i < count; i++) sum += Math.Exp(x[start + i * stride] - max);
        for (int i = 0; i < count; i++) y[start + i * stride] = (float)(x[start + i * stride] - max - Math.Log(sum));
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
