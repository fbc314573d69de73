using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// Layer normalisation: opset 17's LayerNormalization, and the subgraph <c>torch.onnx.export</c> writes for
/// <c>nn.LayerNorm</c> below opset 17: ReduceMean over the trailing axes, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div, then
/// Mul by the weight and Add of the bias when the module has them. Nothing else that branches through a ReduceMean is read.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>
    /// LayerNormalization over axes <c>axis</c> to the last (never the batch): a <see cref="LayerNorm{T}"/> whose γ and β are
    /// Scale and B, or without them when Scale is ones in a Constant node and B absent or zeros (our export of a layer without
    /// elementwise affine). Only the first output (Y) may be used.
    /// </summary>
    private void LayerNormalization(NodeProto node)
    {
        if (_opset < 17) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"is in opset {_opset}; LayerNormalization came in opset 17"));
        Allowed(node, "axis", "epsilon", "stash_type");
        if (node.Inputs.Length is not (2 or 3) || node.Inputs[0] != DataInput(node)) throw Node(node, "must take the computed value (X), then Scale and an optional B");
        int rank = _shape.Count + 1;
        long axis = Int(node, "axis", -1);
        long first = axis < 0 ? axis + rank : axis;
        if (first < 1 || first >= rank)
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"normalises from axis {axis} of inputs of rank {rank}; only axes after the batch can be normalised"));
        int[] shape = [.. _shape.Skip((int)first - 1)];
        var scale = Weight(node, Constant(node, 1, "Scale"), shape, "Scale");
        T[]? bias = node.Inputs.Length == 3 && node.Inputs[2].Length > 0 ? Weight(node, Constant(node, 2, "B"), shape, "B") : null;
        bool affine = !(IsConstantNodeValue(node.Inputs[1]) && Array.TrueForAll(scale, v => v == T.One) && (bias is null || Array.TrueForAll(bias, v => v == T.Zero)));
        AddLayerNorm(node, shape, Epsilon(node, Float(node, "epsilon", 1e-5f)), affine ? scale : null, bias);
    }

    /// <summary>
    /// torch 1.13's LayerNorm below opset 17: two branched links, exactly ReduceMean(x), Sub(x, mean) (x read twice) and
    /// Pow(d, 2), ReduceMean, Add(ε), Sqrt, Div(d, ·) (d read twice), over the same trailing axes; then, when the next
    /// links are a Mul by a weight and an Add of a bias of the normalised shape, those as γ and β. Returns how many links
    /// after the first it took.
    /// </summary>
    private int DecomposedLayerNorm(List<Link> chain, int index)
    {
        var link = chain[index];
        string x = link.Input;
        bool twoLinks = index + 1 < chain.Count && chain[index + 1].Branches && chain[index + 1].Input == link.Nodes[^1].Outputs[0];
        NodeProto[] n = twoLinks ? [.. link.Nodes, .. chain[index + 1].Nodes] : link.Nodes;
        string Out(int i) => n[i].Outputs[0];
        bool Is(int i, string op, params string[] inputs) => n[i].OpType == op && n[i].Inputs.Length == inputs.Length && n[i].Inputs.SequenceEqual(inputs);
        if (n.Length != 7 || !Is(1, "Sub", x, Out(0)) || !Is(5, "Sqrt", Out(4)) || !Is(6, "Div", Out(1), Out(5))
            || n[0].OpType != "ReduceMean" || n[3].OpType != "ReduceMean" || DataInputs(n[0]).SingleOrDefault() != x || DataInputs(n[3]).SingleOrDefault() != Out(2)
            || n[2].OpType != "Pow" || n[2].Inputs.Length != 2 || n[2].Inputs[0] != Out(1) || ScalarInput(n[2], 1) != 2
            || n[4].OpType != "Add" || n[4].Inputs.Length != 2 || !n[4].Inputs.Contains(Out(3)) || ScalarInput(n[4], n[4].Inputs[0] == Out(3) ? 1 : 0) is not { } epsilon)
            throw Node(n[0], $"begins branches ({string.Join(", ", n.Select(Describe))}) that are not the layer normalisation torch.onnx.export writes below opset 17 (ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div) nor an activation function; they cannot be imported");
        int axes = TrailingAxes(n[0]);
        if (TrailingAxes(n[3]) != axes) throw Node(n[3], "reduces other axes than the ReduceMean of the mean; only a layer normalisation over one set of trailing axes can be imported");
        int[] shape = [.. _shape.Skip(_shape.Count - axes)];
        // The weight and the bias: single links that multiply, then add, by tensors of the normalised shape.
        T[]? weight = null, bias = null;
        int taken = 1;
        if (AffineInput(chain, index + 2, "Mul", shape) is { } scale)
        {
            (weight, taken) = (scale, 2);
            if (AffineInput(chain, index + 3, "Add", shape) is { } shift) (bias, taken) = (shift, 3);
        }
        AddLayerNorm(n[0], shape, Epsilon(n[4], epsilon), weight, bias);
        return taken;
    }

    /// <summary>A LayerNorm over <paramref name="shape"/>, with γ and β when <paramref name="weight"/> is given (β zeros when <paramref name="bias"/> is not).</summary>
    private void AddLayerNorm(NodeProto node, int[] shape, double epsilon, T[]? weight, T[]? bias)
    {
        var layer = (LayerNorm<T>)Add(node, () => new LayerNorm<T>(shape, epsilon, elementwiseAffine: weight is not null));
        if (weight is null) return;
        weight.CopyTo(layer.Weight!.ValueSpan);
        bias?.CopyTo(layer.Bias!.ValueSpan);
    }

    private double Epsilon<TValue>(NodeProto node, TValue value) where TValue : IFloatingPointIeee754<TValue> =>
        TValue.IsFinite(value) && value > TValue.Zero ? Decimal(value)
            : throw Node(node, $"has epsilon {value.ToString(null, CultureInfo.InvariantCulture)}; LayerNorm needs a finite positive ε");

    /// <summary>The values of a Scale, B, weight or bias of the normalised shape (leading axes of length 1 aside); else an error naming both shapes.</summary>
    private T[] Weight(NodeProto node, TensorProto tensor, int[] shape, string what)
    {
        var values = Values(node, tensor, what);
        if (!tensor.Dims.SkipWhile(length => length == 1).SequenceEqual(shape.SkipWhile(length => length == 1).Select(length => (long)length)))
            throw Node(node, $"has a {what} '{tensor.Name}' {Text(tensor.Dims)} for the normalised shape {Text(shape)}; it must have that shape");
        return values;
    }

    /// <summary>The tensor a single link's node of <paramref name="op"/> applies to the chain's value, when it has the normalised shape; else null.</summary>
    private T[]? AffineInput(List<Link> chain, int index, string op, int[] shape)
    {
        if (index >= chain.Count || chain[index].Branches) return null;
        var node = chain[index].Nodes[0];
        if (node.OpType != op || node.Attributes.Length > 0 || node.Inputs.Length != 2) return null;
        int constant = node.Inputs[0] == chain[index].Input ? 1 : 0;
        if (!IsStatic(node.Inputs[constant])) return null;
        var tensor = Constant(node, constant, op == "Mul" ? "weight" : "bias");
        return tensor.Dims.Length > 0 && tensor.Dims.Length <= shape.Length ? Weight(node, tensor, shape, op == "Mul" ? "weight" : "bias") : null;
    }

    /// <summary>Input <paramref name="index"/> as a scalar constant of T, as the shortest decimal that rounds to it (1e-5, not 9.99999974737875e-06, for a float's ε); null when it is not one.</summary>
    private double? ScalarInput(NodeProto node, int index)
    {
        if (index >= node.Inputs.Length || !IsStatic(node.Inputs[index])) return null;
        var tensor = Constant(node, index, "constant");
        return tensor.DataType == OnnxDataType.Of<T>() && tensor.Dims.All(length => length == 1) && Values(node, tensor, "constant") is [var value]
            ? Decimal(value) : null;
    }

    /// <summary>How many trailing axes a keepdims ReduceMean reduces (its axes as an attribute, or as an input from opset 18); the batch never.</summary>
    private int TrailingAxes(NodeProto node)
    {
        Allowed(node, "axes", "keepdims", "noop_with_empty_axes");
        if (Int(node, "keepdims", 1) != 1 || Int(node, "noop_with_empty_axes", 0) != 0) throw Node(node, "drops the reduced axes or reduces none; a layer normalisation keeps them");
        long[] axes = Attribute(node, "axes") is not null ? Ints(node, "axes", Attribute(node, "axes")!.Ints.Length, null)
            : node.Inputs.Length > 1 ? Int64Values(node, Constant(node, 1, "axes")) : [];
        int rank = _shape.Count + 1;
        var sorted = axes.Select(a => a < 0 ? a + rank : a).Order().ToArray();
        if (sorted.Length == 0 || sorted[0] < 1 || sorted[^1] != rank - 1 || sorted.Distinct().Count() != sorted.Length || sorted[^1] - sorted[0] != sorted.Length - 1)
            throw Node(node, $"reduces the axes {Text(axes)} of inputs of rank {rank.ToString(CultureInfo.InvariantCulture)}; a layer normalisation reduces the last axes, never the batch");
        return sorted.Length;
    }
}
