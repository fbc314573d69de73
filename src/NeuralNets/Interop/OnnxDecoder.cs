namespace NeuralNets.Interop;

/// <summary>
/// Reads ONNX's protobuf encoding into <see cref="ModelProto"/>: the fields export and import use, others skipped.
/// Hostile bytes end in an <see cref="InvalidDataException"/> naming the message and the field (see <see cref="ProtoReader"/>).
/// </summary>
/// <remarks>
/// A message that cannot mean anything (an initializer, input or attribute without a name, a node without an operator)
/// fails as soon as it ends, and the messages that are kept cost little more than their fields: repeated fields become
/// arrays only when present. So a file of a million empty messages costs what its bytes justify.
/// </remarks>
internal static class OnnxDecoder
{
    /// <param name="bytes">The whole file.</param>
    /// <param name="file">Names the file in messages, e.g. <c>'model.onnx'</c>.</param>
    public static ModelProto Decode(ReadOnlyMemory<byte> bytes, string file)
    {
        var reader = new ProtoReader(bytes, $"{file}: ModelProto");
        var model = new ModelProto();
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: model.IrVersion = reader.Int64("ir_version"); break;
                case 2: model.ProducerName = reader.String("producer_name"); break;
                case 3: model.ProducerVersion = reader.String("producer_version"); break;
                case 7: model.Graph = Graph(reader.Message("graph", "graph")); break;
                case 8: model.OperatorSets.Add(OperatorSet(reader.Message("opset_import", model.OperatorSets.Count))); break;
                default: reader.Skip(field); break;
            }
        }
        return model;
    }

    private static (string, long) OperatorSet(ProtoReader reader)
    {
        (string domain, long version) = ("", 0);
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: domain = reader.String("domain"); break;
                case 2: version = reader.Int64("version"); break;
                default: reader.Skip(field); break;
            }
        }
        return (domain, version);
    }

    private static GraphProto Graph(ProtoReader reader)
    {
        var graph = new GraphProto();
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: graph.Nodes.Add(Node(reader.Message("node", graph.Nodes.Count))); break;
                case 2: graph.Name = reader.String("name"); break;
                case 5: graph.Initializers.Add(Tensor(reader.Message("initializer", graph.Initializers.Count), isInitializer: true)); break;
                case 11: graph.Inputs.Add(ValueInfo(reader.Message("input", graph.Inputs.Count))); break;
                case 12: graph.Outputs.Add(ValueInfo(reader.Message("output", graph.Outputs.Count))); break;
                default: reader.Skip(field); break;
            }
        }
        return graph;
    }

    private static NodeProto Node(ProtoReader reader)
    {
        var node = new NodeProto();
        List<string>? inputs = null, outputs = null;
        List<AttributeProto>? attributes = null;
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: (inputs ??= []).Add(reader.String("input")); break;
                case 2: (outputs ??= []).Add(reader.String("output")); break;
                case 3: node.Name = reader.String("name"); break;
                case 4: node.OpType = reader.String("op_type"); break;
                case 5:
                    attributes ??= [];
                    attributes.Add(Attribute(reader.Message("attribute", attributes.Count)));
                    break;
                case 7: node.Domain = reader.String("domain"); break;
                default: reader.Skip(field); break;
            }
        }
        if (node.OpType.Length == 0) throw reader.Invalid("has no op_type; every node names its operator");
        node.Inputs = inputs?.ToArray() ?? [];
        node.Outputs = outputs?.ToArray() ?? [];
        node.Attributes = attributes?.ToArray() ?? [];
        return node;
    }

    private static AttributeProto Attribute(ProtoReader reader)
    {
        var attribute = new AttributeProto();
        List<float>? floats = null;
        List<long>? ints = null;
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: attribute.Name = reader.String("name"); break;
                case 2: attribute.F = reader.Float("f"); break;
                case 3: attribute.I = reader.Int64("i"); break;
                case 4: attribute.S = reader.Bytes("s"); break;
                case 5: attribute.T = Tensor(reader.Message("t", "t"), isInitializer: false); break;
                case 7: reader.Floats("floats", floats ??= []); break;
                case 8: reader.Int64s("ints", ints ??= []); break;
                case 20: attribute.Type = (OnnxAttributeType)reader.Int64("type"); break;
                default: reader.Skip(field); break;
            }
        }
        if (attribute.Name.Length == 0) throw reader.Invalid("has no name; an operator finds its attributes by name");
        attribute.Floats = floats?.ToArray() ?? [];
        attribute.Ints = ints?.ToArray() ?? [];
        return attribute;
    }

    /// <summary>A tensor: an initializer, which nodes find by its name, or a <c>Constant</c>'s value, which needs none.</summary>
    private static TensorProto Tensor(ProtoReader reader, bool isInitializer)
    {
        var tensor = new TensorProto();
        List<long>? dims = null, int64s = null;
        List<float>? floats = null;
        List<double>? doubles = null;
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: reader.Int64s("dims", dims ??= []); break;
                case 2: tensor.DataType = reader.Int64("data_type"); break;
                case 4: reader.Floats("float_data", floats ??= []); break;
                case 7: reader.Int64s("int64_data", int64s ??= []); break;
                case 8: tensor.Name = reader.String("name"); break;
                case 9: tensor.RawData = reader.Bytes("raw_data"); tensor.HasRawData = true; break;
                case 10: reader.Doubles("double_data", doubles ??= []); break;
                case 14: tensor.DataLocation = reader.Int64("data_location"); break;
                default: reader.Skip(field); break;
            }
        }
        if (isInitializer && tensor.Name.Length == 0) throw reader.Invalid("has no name; nodes find initializers by name");
        tensor.Dims = dims?.ToArray() ?? [];
        tensor.FloatData = floats?.ToArray() ?? [];
        tensor.DoubleData = doubles?.ToArray() ?? [];
        tensor.Int64Data = int64s?.ToArray() ?? [];
        return tensor;
    }

    private static ValueInfoProto ValueInfo(ProtoReader reader)
    {
        var info = new ValueInfoProto();
        while (reader.NextField(out int field))
        {
            switch (field)
            {
                case 1: info.Name = reader.String("name"); break;
                case 2: TypeProto(reader.Message("type", "type"), info); break;
                default: reader.Skip(field); break;
            }
        }
        if (info.Name.Length == 0) throw reader.Invalid("has no name; nodes find a graph's inputs and outputs by name");
        return info;
    }

    private static void TypeProto(ProtoReader reader, ValueInfoProto info)
    {
        while (reader.NextField(out int field))
        {
            if (field != 1)
            {
                reader.Skip(field);
                continue;
            }
            var tensorType = reader.Message("tensor_type", "tensor_type");
            while (tensorType.NextField(out int inner))
            {
                switch (inner)
                {
                    case 1: info.ElementType = tensorType.Int64("elem_type"); break;
                    case 2: info.HasShape = true; Shape(tensorType.Message("shape", "shape"), info.Shape); break;
                    default: tensorType.Skip(inner); break;
                }
            }
        }
    }

    private static void Shape(ProtoReader reader, List<Dimension> shape)
    {
        while (reader.NextField(out int field))
        {
            if (field != 1)
            {
                reader.Skip(field);
                continue;
            }
            var dimension = reader.Message("dim", shape.Count);
            (long value, string? symbol) = (0, null);
            while (dimension.NextField(out int inner))
            {
                switch (inner)
                {
                    case 1: value = dimension.Int64("dim_value"); break;
                    case 2: symbol = dimension.String("dim_param"); break;
                    default: dimension.Skip(inner); break;
                }
            }
            shape.Add(new Dimension(value, symbol));
        }
    }
}
