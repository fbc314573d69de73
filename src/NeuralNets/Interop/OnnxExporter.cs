using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// Builds the ONNX model of a <see cref="Sequential{T}"/>: one mapping per layer, parameters as initializers; the layers of
/// a nested network in its place, a residual block's branches both reading its input and joined by an Add.
/// </summary>
internal static class OnnxExporter
{
    /// <summary>IR version 7 is the one that introduced operator set 13.</summary>
    private const long IrVersion = 7;

    /// <summary>IR version 8 is the one of operator set 17, which brought LayerNormalization.</summary>
    private const long LayerNormalizationIrVersion = 8;

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

        string current = new Writer<T>(graph, elementType, options).Layers(network, "", options.InputName, network.InputShape);
        var shape = network.OutputShape(network.InputShape);
        NameOutput(graph, current, options);
        graph.Outputs.Add(Value(options.OutputName, elementType, options.BatchDimension, shape));
        // LayerNormalization came in opset 17 (IR version 8); a network without one keeps the files it always had.
        bool layerNormalization = graph.Nodes.Any(node => node.OpType == "LayerNormalization");
        return new ModelProto
        {
            IrVersion = layerNormalization ? LayerNormalizationIrVersion : IrVersion,
            OperatorSets = [("", layerNormalization ? OnnxFile.LayerNormalizationOperatorSetVersion : OnnxFile.OperatorSetVersion)], ProducerName = "NeuralNets",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "", Graph = graph,
        };
    }

    /// <summary>Writes layers, parameters and the joins of residual blocks into one graph.</summary>
    private sealed class Writer<T>(GraphProto graph, int elementType, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>
        /// Writes the nodes of <paramref name="network"/>'s layers, the first reading <paramref name="input"/> (samples of
        /// <paramref name="shape"/>), and returns the name of the value the last one makes. <paramref name="path"/> is the
        /// network's place in the exported one (<c>"2.0"</c>: the body of the block at layer 2; empty at the top), which
        /// prefixes its layers' node and parameter names as it prefixes their parameters' names in the whole network.
        /// </summary>
        public string Layers(Sequential<T> network, string path, string input, IReadOnlyList<int> shape)
        {
            string current = input;
            for (int i = 0; i < network.Layers.Count; i++)
            {
                var layer = network.Layers[i];
                string place = path.Length == 0 ? i.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{path}.{i}");
                var description = layer.Describe();
                var outputShape = layer.OutputShape(shape);
                // Networks inside the network are written out, unless a mapping given for their kind writes them its own way.
                current = options.Mappings.ContainsKey(description.Kind) ? Mapped(layer, i, place, description, current, shape, outputShape) : layer switch
                {
                    Sequential<T> nested => Layers(nested, place, current, shape),
                    Residual<T> block => Block(block, place, current, shape),
                    _ => Mapped(layer, i, place, description, current, shape, outputShape),
                };
                shape = outputShape;
            }
            return current;
        }

        /// <summary>y = body(x) + shortcut(x): both branches read the block's input, an Add joins them (x itself for the identity).</summary>
        private string Block(Residual<T> block, string place, string input, IReadOnlyList<int> shape)
        {
            string body = Layers(block.Body, place + ".0", input, shape);
            string shortcut = block.Shortcut is null ? input : Layers(block.Shortcut, place + ".1", input, shape);
            string name = NodeName(place, "Add");
            graph.Nodes.Add(new NodeProto { Name = name, OpType = "Add", Inputs = [body, shortcut], Outputs = [name + "_output"] });
            return name + "_output";
        }

        private string Mapped(ILayer<T> layer, int index, string place, LayerDescription description, string input, IReadOnlyList<int> shape, IReadOnlyList<int> outputShape)
        {
            var names = new string[layer.Parameters.Count];
            for (int p = 0; p < names.Length; p++)
            {
                var value = layer.Parameters[p];
                names[p] = string.Concat(place, ".", value.Name);
                graph.Initializers.Add(new TensorProto
                {
                    Name = names[p], DataType = elementType, Dims = [.. value.Shape.Select(d => (long)d)],
                    RawData = MemoryMarshal.AsBytes(value.ValueSpan).ToArray(), HasRawData = true,
                });
            }
            if (!options.Mappings.TryGetValue(description.Kind, out var mapping) && !OnnxMappings.BuiltIn.TryGetValue(description.Kind, out mapping))
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Layer {place} ({layer}) has no ONNX mapping for its kind '{description.Kind}'. Give one in OnnxExportOptions.Mappings."), "network");
            var step = new OnnxExportStep(graph, elementType, values => ElementBytes<T>(values), layer, index, place, description, input, shape, outputShape, names);
            try
            {
                return mapping(step);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Layer {place} ({layer}) cannot be exported to ONNX: {e.Message}"), e);
            }
        }
    }

    /// <summary>A node's name from the place of its layer: <c>"/2/0/1/Conv"</c> for layer <c>2.0.1</c>.</summary>
    internal static string NodeName(string place, string opType) => string.Concat("/", place.Replace('.', '/'), "/", opType);

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
