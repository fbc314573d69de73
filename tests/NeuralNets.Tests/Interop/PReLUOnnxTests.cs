using System.Runtime.InteropServices;
using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// PReLU in ONNX: exported as PRelu with its slopes as the initializer "{i}.weight" (through an Unsqueeze to [C, 1, 1]
/// before images), read back as a learnt PReLU; a PRelu whose one slope is a Constant node (our double LeakyReLU) read
/// back as a LeakyReLU; slopes that would give positions slopes of their own refused.
/// </summary>
public class PReLUOnnxTests
{
    private static Sequential<T> Sloped<T>(Sequential<T> network) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (var layer in network.Layers.OfType<PReLU<T>>())
            for (int c = 0; c < layer.SlopeCount; c++) layer.Weight.ValueSpan[c] = T.CreateChecked(0.3 * c - 0.2 + 0.01 * layer.SlopeCount);
        return network;
    }

    private static Sequential<T> Mixed<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Sloped(
        Network.Sequential<T>(2, 6, 6).Conv2D(3, kernel: 3).PReLU(perChannel: true).Conv2D(2, kernel: 3).PReLU().Flatten().Dense(5)
            .PReLU(perChannel: true).Dense(4).PReLU().Build(seed: 5));

    [Fact]
    public void ExportThenImport_Float_LearntPReLUsWithTheSameSlopesAndOutputs() => RoundTrip(Mixed<float>());

    [Fact]
    public void ExportThenImport_Double_LearntPReLUsWithTheSameSlopesAndOutputs() => RoundTrip(Mixed<double>());

    private static void RoundTrip<T>(Sequential<T> network) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var imported = OnnxFile.FromBytes<T>(OnnxFile.ToBytes(network));

        imported.DescribeLayers().Should().Equal(network.DescribeLayers());
        imported.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        imported.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        var x = TestTensors.Random<T>(6, 3, 2, 6, 6);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Export_PerChannelBeforeImages_SlopesInitializerOfCThroughAnUnsqueeze()
    {
        var graph = OnnxDecoder.Decode(OnnxFile.ToBytes(Mixed<float>()), "mixed").Graph!;

        graph.Initializers.Single(t => t.Name == "1.weight").Dims.Should().Equal(3);
        graph.Initializers.Single(t => t.Name == "3.weight").Dims.Should().Equal(1);
        graph.Initializers.Single(t => t.Name == "6.weight").Dims.Should().Equal(5);
        var unsqueeze = graph.Nodes.Single(n => n.OpType == "Unsqueeze");
        unsqueeze.Inputs[0].Should().Be("1.weight");
        graph.Initializers.Single(t => t.Name == unsqueeze.Inputs[1]).RawData.ToArray().Should().Equal(MemoryMarshal.AsBytes<long>([1, 2]).ToArray());
        graph.Nodes.Where(n => n.OpType == "PRelu").Select(n => n.Inputs[1]).Should().Equal(unsqueeze.Outputs[0], "3.weight", "6.weight", "8.weight");
    }

    [Fact]
    public void Export_DoubleLeakyReLU_SlopeAsAConstantNode_ReadBackAsLeakyReLU()
    {
        var network = Network.Sequential<double>(4).Dense(3).LeakyReLU(0.01).Build(seed: 1);

        var bytes = OnnxFile.ToBytes(network);

        var graph = OnnxDecoder.Decode(bytes, "leaky").Graph!;
        graph.Nodes.Select(n => n.OpType).Should().Equal("Gemm", "Constant", "PRelu");
        graph.Initializers.Select(t => t.Name).Should().Equal("0.weight", "0.bias");
        var imported = OnnxFile.FromBytes<double>(bytes);
        imported.Layers[1].Should().BeOfType<LeakyReLU<double>>().Which.Slope.Should().Be(0.01);
        imported.Parameters.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(0.25f, true)]
    [InlineData(-0.25f, false)]   // a LeakyReLU's slope is not negative: the learnt layer holds it
    public void Import_OneSlopeFromAConstantNode_LeakyReLUUnlessNegative(float slope, bool leaky)
    {
        var graph = Graph([4], [4]);
        graph.Nodes.Add(new NodeProto
        {
            Name = "c", OpType = "Constant", Outputs = ["slope"],
            Attributes = [new AttributeProto { Name = "value", Type = OnnxAttributeType.Tensor, T = Raw("s", [1], [slope]) }],
        });
        graph.Nodes.Add(Node("PRelu", ["x", "slope"], "y"));

        var imported = Import<float>(Model(graph));

        if (leaky) imported.Layers.Single().Should().BeOfType<LeakyReLU<float>>().Which.Slope.Should().Be(0.25);
        else imported.Layers.Single().Should().BeOfType<PReLU<float>>().Which.Weight.ValueSpan[0].Should().Be(-0.25f);
        imported.Predict([-2f, 1, -1, 0]).Should().Equal(-2 * slope, 1, -slope, 0);
    }

    [Theory]
    [InlineData(new long[] { 3 }, new[] { 3 }, true)]
    [InlineData(new long[] { 1, 3 }, new[] { 3 }, true)]
    [InlineData(new long[] { 3, 1, 1 }, new[] { 3, 2, 2 }, true)]
    [InlineData(new long[] { 1, 3, 1, 1 }, new[] { 3, 2, 2 }, true)]
    [InlineData(new long[] { 3, 1 }, new[] { 3, 2 }, true)]
    [InlineData(new long[] { 3 }, new[] { 3, 3, 3 }, false)]        // along the width: a slope per column
    [InlineData(new long[] { 3, 1, 1 }, new[] { 2, 3, 3 }, false)]  // as many as the height, not the channels
    [InlineData(new long[] { 1, 3 }, new[] { 3, 3 }, false)]
    public void Import_SlopesFromAnInitializer_PReLUOnlyWhenOnePerChannel(long[] dims, int[] sample, bool read)
    {
        var graph = Graph(sample, sample);
        graph.Initializers.Add(Raw("slope", dims, [0.5f, -1, 2]));
        graph.Nodes.Add(Node("PRelu", ["x", "slope"], "y"));

        var act = () => Import<float>(Model(graph));

        if (!read)
        {
            act.Should().Throw<InvalidDataException>().WithMessage(
                $"*'prelu_y' (PRelu) has a slope 'slope' [{string.Join(", ", dims)}] for samples [{string.Join(", ", sample)}]; only one slope, or one per channel of axis 1*");
            return;
        }
        var layer = act().Layers.Single().Should().BeOfType<PReLU<float>>().Subject;
        layer.Weight.ValueSpan.ToArray().Should().Equal(0.5f, -1, 2);
        int spread = sample.Skip(1).Aggregate(1, (a, b) => a * b);
        var x = Enumerable.Repeat(-2f, 3 * spread).ToArray();
        layer.Forward(TestTensors.Create(x, [1, .. sample]), training: false).ToArray()
            .Should().Equal(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Repeat(-2 * new[] { 0.5f, -1, 2 }[c], spread)));
    }
}
