using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>Builds the ONNX model of a <see cref="Sequential{T}"/>: one mapping per layer, parameters as initializers.</summary>
internal static class OnnxExporter
{
    /// <summary>IR version 7 is the one that introduced operator set 13.</summary>
    private const long IrVersion = 7;

    public static ModelProto Build<T>(Sequential<T> network, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        if (network.InputShape is null)
            throw new ArgumentException("Only a network that knows its input shape can be exported: build it with Network.Sequential<T>(inputShape) or new Sequential<T>(inputShape, layers).", nameof(network));
        if (options.InputName == options.OutputName)
            throw new ArgumentException($"The input and output must have different names; both are '{options.InputName}'.", nameof(options));
        int elementType = OnnxDataType.Of<T>();
        var graph = new GraphProto { Name = "NeuralNets.Sequential" };
        graph.Inputs.Add(Value(options.InputName, elementType, options.BatchDimension, network.InputShape));

        string current = options.InputName;
        IReadOnlyList<int> shape = network.InputShape;
        int parameter = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var description = layer.Describe();
            var names = new string[layer.Parameters.Count];
            for (int p = 0; p < names.Length; p++, parameter++)
            {
                var value = network.Parameters[parameter];
                names[p] = value.Name;
                graph.Initializers.Add(new TensorProto
                {
                    Name = value.Name, DataType = elementType, Dims = [.. value.Shape.Select(d => (long)d)],
                    RawData = MemoryMarshal.AsBytes(value.ValueSpan).ToArray(), HasRawData = true,
                });
            }
            if (!options.Mappings.TryGetValue(description.Kind, out var mapping) && !OnnxMappings.BuiltIn.TryGetValue(description.Kind, out mapping))
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Layer {i} ({layer}) has no ONNX mapping for its kind '{description.Kind}'. Give one in OnnxExportOptions.Mappings."), nameof(network));
            var outputShape = layer.OutputShape(shape);
            var step = new OnnxExportStep(graph, elementType, values => ElementBytes<T>(values), layer, i, description, current, shape, outputShape, names);
            try
            {
                current = mapping(step);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Layer {i} ({layer}) cannot be exported to ONNX: {e.Message}"), e);
            }
            shape = outputShape;
        }
        NameOutput(graph, current, options);
        graph.Outputs.Add(Value(options.OutputName, elementType, options.BatchDimension, shape));
        return new ModelProto
        {
            IrVersion = IrVersion, OperatorSets = [("", OnnxFile.OperatorSetVersion)], ProducerName = "NeuralNets",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "", Graph = graph,
        };
    }

    /// <summary>Renames the last node's output to the graph's output name, or adds an Identity where no node made it (a network of Dropout only).</summary>
    private static void NameOutput(GraphProto graph, string current, OnnxExportOptions options)
    {
        var last = graph.Nodes.Count > 0 ? graph.Nodes[^1] : null;
        if (last is not null && last.Outputs[0] == current)
        {
            last.Outputs[0] = options.OutputName;
            foreach (var node in graph.Nodes)
                for (int k = 0; k < node.Inputs.Length; k++)
                    if (node.Inputs[k] == current) node.Inputs[k] = options.OutputName;
        }
        else
        {
            graph.Nodes.Add(new NodeProto { Name = "/output/Identity", OpType = "Identity", Inputs = [current], Outputs = [options.OutputName] });
        }
    }

    private static ValueInfoProto Value(string name, int elementType, string batch, IReadOnlyList<int> sampleShape)
    {
        var info = new ValueInfoProto { Name = name, ElementType = elementType, HasShape = true };
        info.Shape.Add(new Dimension(0, batch));
        foreach (int length in sampleShape) info.Shape.Add(new Dimension(length, null));
        return info;
    }

    private static byte[] ElementBytes<T>(ReadOnlyMemory<double> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var converted = new T[values.Length];
        for (int i = 0; i < converted.Length; i++) converted[i] = T.CreateChecked(values.Span[i]);
        return MemoryMarshal.AsBytes(converted.AsSpan()).ToArray();
    }

    /// <summary>Text for messages: <c>[batch, 1, 28, 28]</c>.</summary>
    public static string ShapeText(IEnumerable<Dimension> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.Symbol ?? d.Value.ToString(CultureInfo.InvariantCulture))) + "]";
}
