using System.Runtime.InteropServices;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>Hand-built ONNX graphs in the shapes other exporters write (PyTorch, Keras converters), for the importer.</summary>
internal static class OnnxGraphs
{
    public static ModelProto Model(GraphProto graph, long opset = 13) =>
        new() { IrVersion = 7, OperatorSets = [("", opset)], ProducerName = "hand", Graph = graph };

    public static GraphProto Graph(int[] inputShape, int[] outputShape, int elementType = OnnxDataType.Float, string input = "x", string output = "y")
    {
        var graph = new GraphProto { Name = "g" };
        graph.Inputs.Add(Value(input, elementType, inputShape));
        graph.Outputs.Add(Value(output, elementType, outputShape));
        return graph;
    }

    public static ValueInfoProto Value(string name, int elementType, int[] sampleShape)
    {
        var info = new ValueInfoProto { Name = name, ElementType = elementType, HasShape = true };
        info.Shape.Add(new Dimension(0, "N"));
        foreach (int d in sampleShape) info.Shape.Add(new Dimension(d, null));
        return info;
    }

    public static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
        new() { Name = op.ToLowerInvariant() + "_" + output, OpType = op, Inputs = [.. inputs], Outputs = [output], Attributes = [.. attributes] };

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = OnnxAttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = OnnxAttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values) => new() { Name = name, Type = OnnxAttributeType.Ints, Ints = [.. values] };

    /// <summary>A float tensor in the typed field float_data (the form older exporters write).</summary>
    public static TensorProto Typed(string name, long[] dims, float[] values) =>
        new() { Name = name, DataType = OnnxDataType.Float, Dims = [.. dims], FloatData = [.. values] };

    public static TensorProto Raw(string name, long[] dims, float[] values) =>
        new() { Name = name, DataType = OnnxDataType.Float, Dims = [.. dims], RawData = MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), HasRawData = true };

    public static TensorProto Int64s(string name, params long[] values) =>
        new() { Name = name, DataType = OnnxDataType.Int64, Dims = [values.Length], Int64Data = [.. values] };

    public static Sequential<T> Import<T>(ModelProto model) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        OnnxFile.FromBytes<T>(OnnxEncoder.Encode(model), "'hand.onnx'");
}
