using System.Globalization;
using System.Runtime.InteropServices;

namespace NeuralNets.Interop;

/// <summary>
/// Values known before any data flows: initializers, Constant nodes, the weights that an exporter without constant
/// folding writes as a Transpose, Unsqueeze or Squeeze of an initializer (PyTorch's Linear without bias, its PReLU
/// on images), and the shape vectors computed from the data's shape (Shape → Gather → Unsqueeze → Concat, PyTorch's
/// <c>x.view(x.size(0), -1)</c> with a dynamic batch), in which the batch's length stays a symbol.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>The operators whose result on a constant <see cref="Fold"/> computes.</summary>
    private static readonly string[] FoldedOperators = ["Identity", "Transpose", "Unsqueeze", "Squeeze"];

    private readonly Dictionary<string, TensorProto> _constants = [];
    private readonly Dictionary<string, NodeProto> _staticNodes = [];
    private readonly HashSet<string> _constantNodeOutputs = [];

    /// <summary>How many nodes deep a constant or a shape may be computed: PyTorch's take four, a hostile file's could take the stack.</summary>
    private const int MaxStaticDepth = 64;

    /// <summary>The most lengths a shape may have, constant or computed.</summary>
    private const int MaxShapeLength = 64;

    /// <summary>How many folds are under way, one inside the other.</summary>
    private int _folds;

    private void CollectStaticValues(GraphProto graph)
    {
        foreach (var initializer in graph.Initializers)
            if (!_constants.TryAdd(initializer.Name, initializer))
                throw new InvalidDataException($"{_file}: two initializers are named '{initializer.Name}'.");
        foreach (var node in graph.Nodes)
        {
            if (node.Domain is not ("" or "ai.onnx")) continue;
            if (node.OpType == "Constant")
            {
                var value = node.Attributes.Length == 1 && node.Attributes[0] is { Name: "value", T: { } tensor } ? tensor
                    : throw Node(node, "only a Constant with one 'value' tensor attribute can be imported");
                if (node.Outputs.Length != 1 || !_constants.TryAdd(node.Outputs[0], value))
                    throw Node(node, "must have one output, named unlike every initializer");
                _constantNodeOutputs.Add(node.Outputs[0]);
            }
            // A Shape, and any node whose inputs are all known without data: computed (where it can be) when a node reads it.
            else if (node.OpType == "Shape" || node.Inputs.All(name => name.Length == 0 || IsStatic(name)))
            {
                if (node.Outputs.Length != 1 || IsStatic(node.Outputs[0]) || !_staticNodes.TryAdd(node.Outputs[0], node))
                    throw Node(node, "must have one output, named unlike every initializer and constant");
            }
        }
    }

    /// <summary>
    /// Whether the constant <paramref name="name"/> is a Constant node's value, or folded from one (an Unsqueeze of it, say),
    /// rather than an initializer's: a value fixed in the graph, not a weight.
    /// </summary>
    private bool IsConstantNodeValue(string name)
    {
        // Each static node's inputs were static before it, so this walk back through the folds ends, after at most one step per node.
        while (_staticNodes.TryGetValue(name, out var producer) && FoldedOperators.Contains(producer.OpType) && producer.Inputs.Length > 0)
            name = producer.Inputs[0];
        return _constantNodeOutputs.Contains(name);
    }

    /// <summary>Whether <paramref name="name"/> is known without data: a constant, or computed from constants and shapes.</summary>
    private bool IsStatic(string name) => _constants.ContainsKey(name) || _staticNodes.ContainsKey(name);

    private bool IsStatic(NodeProto node) =>
        node.Domain is "" or "ai.onnx" && (node.OpType == "Constant" || (node.Outputs.Length == 1 && _staticNodes.TryGetValue(node.Outputs[0], out var known) && known == node));

    /// <summary>Input <paramref name="index"/> of <paramref name="node"/> as a tensor: an initializer, a Constant, or a weight folded from one.</summary>
    private TensorProto Constant(NodeProto node, int index, string what)
    {
        string name = index < node.Inputs.Length ? node.Inputs[index] : "";
        if (_constants.TryGetValue(name, out var tensor)) return tensor;
        if (!_staticNodes.TryGetValue(name, out var producer))
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"needs its input {index} ({what}) as an initializer or a Constant"));
        if (!FoldedOperators.Contains(producer.OpType))
            throw Node(node, string.Create(CultureInfo.InvariantCulture,
                $"needs its input {index} ({what}) as a constant, but {Describe(producer)} computes it with an operator that cannot be folded into one ({string.Join(", ", FoldedOperators)} can)"));
        try
        {
            // A file may chain folds; each level is a call.
            if (++_folds > MaxStaticDepth) throw Node(producer, string.Create(CultureInfo.InvariantCulture, $"ends a chain of more than {MaxStaticDepth} folded constants"));
            var folded = Fold(producer);
            _constants[name] = folded;
            return folded;
        }
        finally
        {
            _folds--;
        }
    }

    /// <summary>The weight a node computes from a constant by moving its values (Transpose) or adding or removing axes of length 1.</summary>
    private TensorProto Fold(NodeProto node)
    {
        var source = Constant(node, 0, "data");
        var dims = source.Dims;
        if (dims.Length > MaxShapeLength) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"folds '{source.Name}' of rank {dims.Length}, more than {MaxShapeLength}"));
        switch (node.OpType)
        {
            case "Identity":
                return source;
            case "Transpose":
            {
                Allowed(node, "perm");
                var perm = Attribute(node, "perm") is null ? [.. Enumerable.Range(0, dims.Length).Reverse().Select(d => (long)d)] : Ints(node, "perm", dims.Length, null);
                if (!perm.Order().SequenceEqual(Enumerable.Range(0, dims.Length).Select(d => (long)d)))
                    throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has perm {Text(perm)}, not a permutation of the {dims.Length} axes of '{source.Name}'"));
                return Transposed(node, source, perm);
            }
            case "Unsqueeze":
            {
                var axes = Axes(node);
                var unsqueezed = new List<long>(dims);
                foreach (long axis in Normalised(node, axes, dims.Length + axes.Length).Order()) unsqueezed.Insert((int)axis, 1);
                return Renamed(node, source, [.. unsqueezed]);
            }
            case "Squeeze":
            {
                var axes = Axes(node);
                var squeezed = axes.Length == 0 ? [.. Enumerable.Range(0, dims.Length).Where(d => dims[d] == 1).Select(d => (long)d)] : Normalised(node, axes, dims.Length);
                if (squeezed.Any(axis => dims[axis] != 1)) throw Node(node, $"squeezes an axis of '{source.Name}' {Text(dims)} whose length is not 1");
                return Renamed(node, source, [.. dims.Where((_, d) => !squeezed.Contains(d))]);
            }
            default:
                throw new InvalidOperationException($"{node.OpType} is not among the folded operators.");
        }
    }

    /// <summary>The 'axes' of an Unsqueeze or Squeeze: an attribute before opset 13, the second input from then on (the other form, or both, is refused).</summary>
    private long[] Axes(NodeProto node)
    {
        Allowed(node, "axes");
        bool asInput = node.Inputs.Length > 1 && node.Inputs[1].Length > 0;
        if (_opset >= 13 ? Attribute(node, "axes") is not null : asInput)
            throw Node(node, string.Create(CultureInfo.InvariantCulture,
                $"gives its axes as {(_opset >= 13 ? "an attribute" : "an input")} under opset {_opset}, whose {node.OpType} takes them as {(_opset >= 13 ? "an input" : "an attribute")}"));
        if (asInput) return Int64Values(node, Constant(node, 1, "axes"));
        var axes = Attribute(node, "axes") is { } attribute ? Ints(node, "axes", attribute.Ints.Length, null) : [];
        return axes.Length <= MaxShapeLength ? axes : throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has {axes.Length} axes, more than {MaxShapeLength}"));
    }

    /// <summary>Axes in [0, rank), negative ones counted from the end; each at most once.</summary>
    private long[] Normalised(NodeProto node, long[] axes, int rank)
    {
        var normalised = axes.Select(axis => axis < 0 ? axis + rank : axis).ToArray();
        if (normalised.Any(axis => axis < 0 || axis >= rank) || normalised.Distinct().Count() != normalised.Length)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has axes {Text(axes)} outside a rank of {rank}, or repeated"));
        return normalised;
    }

    /// <summary>The same values under new dimensions (as many in all); their count is checked when a layer reads them.</summary>
    private static TensorProto Renamed(NodeProto node, TensorProto source, long[] dims) => new()
    {
        Name = node.Outputs[0], DataType = source.DataType, Dims = dims, RawData = source.RawData, HasRawData = source.HasRawData,
        FloatData = source.FloatData, DoubleData = source.DoubleData, Int64Data = source.Int64Data, DataLocation = source.DataLocation,
    };

    /// <summary><paramref name="source"/> with its axes in the order <paramref name="perm"/> gives, its values checked against its dimensions first.</summary>
    private TensorProto Transposed(NodeProto node, TensorProto source, long[] perm)
    {
        int size = source.DataType switch
        {
            OnnxDataType.Float => 4,
            OnnxDataType.Double or OnnxDataType.Int64 => 8,
            var other => throw Node(node, $"transposes '{source.Name}' of {OnnxDataType.Name(other)}, which cannot be imported"),
        };
        long count = Count(node, source, "constant", Array.MaxLength / size);
        ReadOnlySpan<byte> bytes = source.HasRawData ? source.RawData.Span : source.DataType switch
        {
            OnnxDataType.Float => MemoryMarshal.AsBytes(source.FloatData.AsSpan()),
            OnnxDataType.Double => MemoryMarshal.AsBytes(source.DoubleData.AsSpan()),
            _ => MemoryMarshal.AsBytes(source.Int64Data.AsSpan()),
        };
        if (bytes.Length != count * size)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"transposes '{source.Name}' {Text(source.Dims)}, which holds {bytes.Length / size} values, not {count}"));
        var dims = source.Dims;
        // Walks the transposed tensor in order, keeping the source offset of the current element.
        var strides = new long[dims.Length];
        for (long d = dims.Length - 1, stride = 1; d >= 0; stride *= dims[d], d--) strides[d] = stride;
        var moved = new byte[bytes.Length];
        var index = new long[dims.Length];
        for (long i = 0; i < count; i++)
        {
            long offset = 0;
            for (int d = 0; d < dims.Length; d++) offset += index[d] * strides[perm[d]];
            bytes.Slice((int)(offset * size), size).CopyTo(moved.AsSpan((int)(i * size), size));
            for (int d = dims.Length - 1; d >= 0 && ++index[d] == dims[perm[d]]; d--) index[d] = 0;
        }
        return new TensorProto { Name = node.Outputs[0], DataType = source.DataType, Dims = [.. perm.Select(p => dims[p])], RawData = moved, HasRawData = true };
    }

    /// <summary>
    /// The lengths a shape input holds, null for the batch's: a constant, or computed from the shape of
    /// <paramref name="data"/> (whose samples are <paramref name="sample"/>) through Shape, Gather, Unsqueeze, Squeeze,
    /// Cast and Concat. Each value is computed once (<paramref name="known"/>): a Concat may read one value twice, and
    /// followed as a tree a file's shapes would double at each node.
    /// </summary>
    private long?[] ShapeValues(NodeProto consumer, string name, string data, IReadOnlyList<int> sample, Dictionary<string, long?[]>? known = null, int depth = 0)
    {
        known ??= [];
        if (!known.TryGetValue(name, out var lengths)) known[name] = lengths = ComputedShape(consumer, name, data, sample, known, depth);
        return lengths;
    }

    private long?[] ComputedShape(NodeProto consumer, string name, string data, IReadOnlyList<int> sample, Dictionary<string, long?[]> known, int depth)
    {
        if (depth > MaxStaticDepth) throw Node(consumer, string.Create(CultureInfo.InvariantCulture, $"reads a shape computed through more than {MaxStaticDepth} nodes"));
        if (_constants.TryGetValue(name, out var tensor)) return [.. Int64Values(consumer, tensor).Select(length => (long?)length)];
        if (!_staticNodes.TryGetValue(name, out var node))
            throw Node(consumer, $"needs its shape '{name}' as a constant or computed from the data's shape");
        switch (node.OpType)
        {
            case "Shape":
                NoAttributes(node);
                if (node.Inputs[0] != data) throw Node(node, $"reads the shape of '{node.Inputs[0]}', not of '{data}', which {Describe(consumer)} reshapes");
                return [null, .. sample.Select(length => (long?)length)];
            case "Gather":
            {
                Allowed(node, "axis");
                if (Int(node, "axis", 0) != 0) throw Node(node, "gathers along an axis other than 0 of a shape");
                var from = ShapeValues(consumer, node.Inputs[0], data, sample, known, depth + 1);
                var indices = Int64Values(node, Constant(node, 1, "indices"));
                if (indices.Any(i => i < -from.Length || i >= from.Length))
                    throw Node(node, string.Create(CultureInfo.InvariantCulture, $"gathers {Text(indices)} from a shape of {from.Length} lengths"));
                return [.. indices.Select(i => from[i < 0 ? i + from.Length : i])];
            }
            // To int32 or int64 the lengths stay what they are; to a bool, a float or a narrower integer they may not.
            case "Cast":
                Allowed(node, "to");
                long type = Int(node, "to", 0);
                if (type is not (OnnxDataType.Int64 or OnnxDataType.Int32))
                    throw Node(node, $"casts a shape to {OnnxDataType.Name(type)}, which can change its lengths; only casts to int32 or int64 can be followed");
                return ShapeValues(consumer, node.Inputs[0], data, sample, known, depth + 1);
            // Between a scalar and a vector of one length: the lengths stay what they are.
            case "Unsqueeze" or "Squeeze" or "Identity":
                return ShapeValues(consumer, node.Inputs[0], data, sample, known, depth + 1);
            case "Concat":
            {
                Allowed(node, "axis");
                var lengths = new List<long?>();
                foreach (string input in node.Inputs)
                {
                    // The limit Int64Values sets on a constant shape: a file could otherwise concatenate its way to any size.
                    lengths.AddRange(ShapeValues(consumer, input, data, sample, known, depth + 1));
                    if (lengths.Count > MaxShapeLength) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"computes a shape of more than {MaxShapeLength} lengths"));
                }
                return [.. lengths];
            }
            default:
                throw Node(node, "computes a shape with an operator that cannot be followed (Shape, Gather, Unsqueeze, Squeeze, Cast and Concat can)");
        }
    }
}
