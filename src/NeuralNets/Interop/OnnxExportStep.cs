using System.Globalization;
using System.Runtime.InteropServices;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Interop;

/// <summary>
/// What an <see cref="OnnxLayerMapping"/> sees of the layer it exports and of the graph being written: the layer's
/// description, shapes and parameter names, and the means to add nodes and constant tensors.
/// </summary>
public sealed class OnnxExportStep
{
    private readonly GraphProto _graph;
    private readonly Func<ReadOnlyMemory<double>, byte[]> _elementBytes;
    private readonly int _elementType;
    private readonly string _place;
    private int _nodes;

    internal OnnxExportStep(GraphProto graph, int elementType, Func<ReadOnlyMemory<double>, byte[]> elementBytes, object layer, int layerIndex,
        string place, LayerDescription description, string input, IReadOnlyList<int> inputShape, IReadOnlyList<int> outputShape, IReadOnlyList<string> parameters)
    {
        (_graph, _elementType, _elementBytes, Layer, _place) = (graph, elementType, elementBytes, layer, place);
        (LayerIndex, Description, Input, InputShape, OutputShape, Parameters) = (layerIndex, description, input, inputShape, outputShape, parameters);
    }

    /// <summary>Whether the network computes in <see cref="float"/> (else <see cref="double"/>).</summary>
    public bool IsFloat => _elementType == OnnxDataType.Float;

    /// <summary>
    /// The layer being exported, an <see cref="ILayer{T}"/> of float or double: for a mapping that needs state beyond its
    /// description and parameters (a normalisation layer's running statistics, say), which it writes with <see cref="AddConstant"/>.
    /// </summary>
    public object Layer { get; }

    /// <summary>
    /// The layer's position in the network that holds it: the exported network, or the body or shortcut of a residual
    /// block (or a nested network), whose place then prefixes the names of the layer's nodes and constants (<c>"2.0.1"</c>).
    /// </summary>
    public int LayerIndex { get; }

    /// <summary>The layer's kind and hyperparameters (<see cref="ILayer{T}.Describe"/>).</summary>
    public LayerDescription Description { get; }

    /// <summary>The name of the value that holds the layer's input, shape <c>[batch, ...InputShape]</c>.</summary>
    public string Input { get; }

    /// <summary>The layer's per-sample input shape.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The layer's per-sample output shape.</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>
    /// The names of the initializers that hold the layer's parameters, in the order of <see cref="ILayer{T}.Parameters"/>;
    /// they are the network's parameter names (<c>"0.weight"</c>, <c>"0.bias"</c>; <c>"2.0.1.weight"</c> in a residual block's body), as in PyTorch's <c>state_dict</c>.
    /// </summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>Adds a node of the default ONNX domain with one output, and returns that output's name.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">Names of its inputs: <see cref="Input"/>, parameters, constants or earlier nodes' outputs.</param>
    /// <param name="attributes">Its attributes.</param>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params IEnumerable<OnnxAttribute> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(attributes);
        return AddNode(opType, inputs, [.. attributes.Select(a => a.Proto)]);
    }

    /// <summary>
    /// Adds a Constant node that holds a tensor in the network's element type and returns its output's name: a value fixed in
    /// the graph, where <see cref="AddConstant"/> writes an initializer, which a reader may take for a weight to train (the
    /// importer reads a PRelu's slope from an initializer as a learnt PReLU, from a Constant node as a fixed LeakyReLU).
    /// </summary>
    public string AddConstantNode(IReadOnlyList<long> shape, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckCount(shape, values.Length);
        var tensor = new TensorProto { DataType = _elementType, Dims = [.. shape], RawData = _elementBytes(values.ToArray()), HasRawData = true };
        string output = AddNode("Constant", [], [new AttributeProto { Name = "value", Type = OnnxAttributeType.Tensor, T = tensor }]);
        tensor.Name = output;
        return output;
    }

    private string AddNode(string opType, IReadOnlyList<string> inputs, AttributeProto[] attributes)
    {
        string name = _nodes == 0 ? OnnxExporter.NodeName(_place, opType) : OnnxExporter.NodeName(_place, string.Create(CultureInfo.InvariantCulture, $"{opType}_{_nodes}"));
        _nodes++;
        var node = new NodeProto { Name = name, OpType = opType, Inputs = [.. inputs], Outputs = [name + "_output"], Attributes = attributes };
        _graph.Nodes.Add(node);
        return node.Outputs[0];
    }

    /// <summary>
    /// Adds a constant tensor in the network's element type and returns its name, <c>"{LayerIndex}.{name}"</c>, prefixed
    /// as the layer's parameters are inside a residual block (<c>"2.0.1.{name}"</c>).
    /// </summary>
    public string AddConstant(string name, IReadOnlyList<long> shape, ReadOnlySpan<double> values) =>
        AddTensor(name, shape, values.Length, _elementType, _elementBytes(values.ToArray()));

    /// <summary>Adds a constant int64 tensor (a shape for <c>Reshape</c>, say) and returns its name as <see cref="AddConstant"/> does.</summary>
    public string AddInt64Constant(string name, IReadOnlyList<long> shape, ReadOnlySpan<long> values) =>
        AddTensor(name, shape, values.Length, OnnxDataType.Int64, MemoryMarshal.AsBytes(values).ToArray());

    private string AddTensor(string name, IReadOnlyList<long> shape, int count, int dataType, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        CheckCount(shape, count);
        string fullName = string.Concat(_place, ".", name);
        _graph.Initializers.Add(new TensorProto { Name = fullName, DataType = dataType, Dims = [.. shape], RawData = bytes, HasRawData = true });
        return fullName;
    }

    private static void CheckCount(IReadOnlyList<long> shape, int count)
    {
        long expected = 1;
        foreach (long length in shape) expected *= length;
        if (expected != count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The shape {TensorMemory.ShapeText(shape)} holds {expected} values, but {count} were given."), nameof(shape));
    }
}
