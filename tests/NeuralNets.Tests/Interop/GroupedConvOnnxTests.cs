using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>Grouped and depthwise Conv2D (and grouped ConvTranspose2D) layers as ONNX Conv (ConvTranspose) nodes with a <c>group</c> attribute, both ways.</summary>
public class GroupedConvOnnxTests
{
    private static Sequential<T> DepthwiseSeparable<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Network.Sequential<T>([4, 7, 7]).Conv2D(4, 3, padding: 1, groups: 4).ReLU().Conv2D(6, 1).ReLU()
            .Conv2D(8, (3, 2), stride: (2, 1), bias: false, groups: 2).ConvTranspose2D(4, 2, stride: 2, groups: 2).Flatten().Dense(3).Build(seed: 4);

    [Fact]
    public void Export_GroupedLayers_WriteGroupOnlyAboveOne()
    {
        var graph = OnnxDecoder.Decode(OnnxFile.ToBytes(DepthwiseSeparable<float>()), "exported").Graph!;

        var convs = graph.Nodes.Where(n => n.OpType == "Conv").ToList();
        convs.Select(n => n.Attributes.SingleOrDefault(a => a.Name == "group")?.I).Should().Equal(4L, null, 2L);
        graph.Nodes.Single(n => n.OpType == "ConvTranspose").Attributes.Single(a => a.Name == "group").I.Should().Be(2);
        graph.Initializers.Single(t => t.Name == "5.weight").Dims.Should().Equal(8, 2, 2, 2);
        graph.Initializers.Single(t => t.Name == "0.weight").Dims.Should().Equal(4, 1, 3, 3);
        graph.Initializers.Single(t => t.Name == "4.weight").Dims.Should().Equal(8, 3, 3, 2);
    }

    [Fact]
    public void SaveLoad_GroupedFloat_LayersWeightsAndPredictionsBitIdentical() => RoundTrip(DepthwiseSeparable<float>());

    [Fact]
    public void SaveLoad_GroupedDouble_LayersWeightsAndPredictionsBitIdentical() => RoundTrip(DepthwiseSeparable<double>());

    [Theory]
    [InlineData(3, "*has group 3, which does not divide its 4 filters*")]
    [InlineData(4, "*weight [4, 1, 3, 3] in 4 group(s) needs [4, H, W]*")]
    [InlineData(0, "*has group 0*")]
    public void Import_GroupNotMatchingTheChannels_FailsNamingIt(long group, string message)
    {
        var graph = Graph([2, 5, 5], [4, 5, 5]);
        graph.Initializers.Add(Raw("w", [4, 1, 3, 3], new float[36]));
        graph.Nodes.Add(Node("Conv", ["x", "w"], "y", Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3), Int("group", group)));

        var act = () => Import<float>(Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var loaded = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));

        loaded.Layers.Select(l => l.Describe()).Should().Equal(network.Layers.Select(l => l.Describe()));
        loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        var input = TestTensors.Random<T>(5, [3, .. network.InputShape!]);
        loaded.Predict(input).ToArray().Should().Equal(network.Predict(input).ToArray());
    }
}
