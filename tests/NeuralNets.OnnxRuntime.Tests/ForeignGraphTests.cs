using NeuralNets.Interop;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.OnnxRuntime.Tests;

/// <summary>
/// A graph in the shapes other exporters write (Conv with explicit pads, Reshape from a Constant, MatMul + Add,
/// LeakyRelu, Gemm without transB over float_data, Identity), run by ONNX Runtime and by the imported network:
/// the importer reads it as ONNX Runtime does.
/// </summary>
public class ForeignGraphTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Import_ForeignGraph_PredictsWhatOnnxRuntimeComputes(int batch)
    {
        var random = new Random(21);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var graph = Graph([2, 6, 5], [3], input: "input", output: "output");
        graph.Initializers.Add(Raw("conv.w", [4, 2, 3, 2], Values(48)));
        graph.Initializers.Add(Raw("conv.b", [4], Values(4)));
        graph.Initializers.Add(Raw("fc1.w", [4 * 3 * 6, 8], Values(4 * 3 * 6 * 8)));
        graph.Initializers.Add(Raw("fc1.b", [8], Values(8)));
        graph.Initializers.Add(Typed("fc2.w", [8, 3], Values(24)));
        graph.Initializers.Add(Typed("fc2.b", [1, 3], Values(3)));
        graph.Nodes.Add(new NodeProto
        {
            Name = "shape", OpType = "Constant", Outputs = ["shape"],
            Attributes = [new AttributeProto { Name = "value", Type = OnnxAttributeType.Tensor, T = Int64s("", 0, -1) }],
        });
        graph.Nodes.Add(Node("Conv", ["input", "conv.w", "conv.b"], "c", Ints("pads", 1, 1, 1, 1), Ints("strides", 2, 1), Ints("kernel_shape", 3, 2)));
        graph.Nodes.Add(Node("Reshape", ["c", "shape"], "flat"));
        graph.Nodes.Add(Node("MatMul", ["flat", "fc1.w"], "m"));
        graph.Nodes.Add(Node("Add", ["m", "fc1.b"], "h"));
        graph.Nodes.Add(Node("LeakyRelu", ["h"], "a", Float("alpha", 0.2f)));
        graph.Nodes.Add(Node("Gemm", ["a", "fc2.w", "fc2.b"], "g"));
        graph.Nodes.Add(Node("Identity", ["g"], "output"));
        byte[] model = OnnxEncoder.Encode(Model(graph));

        var network = OnnxFile.FromBytes<float>(model);
        var input = OnnxRuntimeRunner.Random<float>(batch, batch, network.InputShape!);
        var flat = new float[input.FlattenedLength];
        input.FlattenTo(flat);
        var theirs = OnnxRuntimeRunner.Run(model, flat, [batch, 2, 6, 5]);
        var ours = new float[theirs.Length];
        network.Predict(input).FlattenTo(ours);

        double scale = theirs.Max(Math.Abs);
        for (int i = 0; i < ours.Length; i++)
            ((double)Math.Abs(ours[i] - theirs[i])).Should().BeLessThanOrEqualTo(1e-5 * Math.Max(Math.Abs(theirs[i]), 1e-2 * scale), $"output {i}");
    }
}
