using System.Runtime.InteropServices;

namespace NeuralNets.Interop;

/// <summary>Writes <see cref="ModelProto"/> in ONNX's protobuf encoding (field numbers from onnx.proto3).</summary>
internal static class OnnxEncoder
{
    public static byte[] Encode(ModelProto model)
    {
        var writer = new ProtoWriter().Int64(1, model.IrVersion)
            .String(2, model.ProducerName).String(3, model.ProducerVersion)
            .Message(7, Graph(model.Graph!));
        foreach (var (domain, version) in model.OperatorSets)
            writer.Message(8, new ProtoWriter().String(1, domain).Int64(2, version));
        return writer.Written.ToArray();
    }

    private static ProtoWriter Graph(GraphProto graph)
    {
        var writer = new ProtoWriter();
        foreach (var node in graph.Nodes) writer.Message(1, Node(node));
        writer.String(2, graph.Name);
        foreach (var initializer in graph.Initializers) writer.Message(5, Tensor(initializer));
        foreach (var input in graph.Inputs) writer.Message(11, ValueInfo(input));
        foreach (var output in graph.Outputs) writer.Message(12, ValueInfo(output));
        return writer;
    }

    private static ProtoWriter Node(NodeProto node)
    {
        var writer = new ProtoWriter();
        foreach (string input in node.Inputs) writer.String(1, input);
        foreach (string output in node.Outputs) writer.String(2, output);
        writer.String(3, node.Name).String(4, node.OpType);
        foreach (var attribute in node.Attributes) writer.Message(5, Attribute(attribute));
        return writer;
    }

    private static ProtoWriter Attribute(AttributeProto attribute)
    {
        var writer = new ProtoWriter().String(1, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float: writer.Float(2, attribute.F); break;
            case OnnxAttributeType.Int: writer.Int64(3, attribute.I); break;
            case OnnxAttributeType.String: writer.Bytes(4, attribute.S.Span); break;
            case OnnxAttributeType.Tensor: writer.Message(5, Tensor(attribute.T!)); break;
            case OnnxAttributeType.Ints: writer.PackedInt64(8, attribute.Ints); break;
            default: throw new InvalidOperationException($"The ONNX writer does not write attributes of type {attribute.Type}.");
        }
        return writer.Int64(20, (long)attribute.Type);
    }

    private static ProtoWriter Tensor(TensorProto tensor)
    {
        var writer = new ProtoWriter().PackedInt64(1, tensor.Dims).Int64(2, tensor.DataType).String(8, tensor.Name);
        // The exporter puts values in raw_data (little-endian), the form every runtime reads fastest; the typed fields are
        // written for tensors that hold them (the tests build graphs as other exporters write them).
        if (tensor.HasRawData) return writer.Bytes(9, tensor.RawData.Span);
        if (tensor.FloatData.Length > 0) writer.Bytes(4, MemoryMarshal.AsBytes(tensor.FloatData.AsSpan()));
        if (tensor.DoubleData.Length > 0) writer.Bytes(10, MemoryMarshal.AsBytes(tensor.DoubleData.AsSpan()));
        if (tensor.Int64Data.Length > 0) writer.PackedInt64(7, tensor.Int64Data);
        return writer;
    }

    private static ProtoWriter ValueInfo(ValueInfoProto info)
    {
        var shape = new ProtoWriter();
        foreach (var dimension in info.Shape)
            shape.Message(1, dimension.Symbol is { } symbol ? new ProtoWriter().String(2, symbol) : new ProtoWriter().Int64(1, dimension.Value));
        var tensorType = new ProtoWriter().Int64(1, info.ElementType).Message(2, shape);
        return new ProtoWriter().String(1, info.Name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
