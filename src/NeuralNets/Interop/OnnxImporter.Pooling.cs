using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// Pooling as exporters write it: MaxPool and AveragePool with explicit pads; PyTorch's AvgPool2d as a Pad of zeros
/// then an AveragePool without pads; AdaptiveAvgPool2d(1) as GlobalAveragePool, usually followed by a flatten.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    private void MaxPool(NodeProto node)
    {
        var (kernel, stride, padding) = Window(node, [.. WindowAttributes, "ceil_mode", "storage_order"], kernelFromAttribute: null);
        bool ceilMode = CeilMode(node);
        Add(node, () => new MaxPool2D<T>(kernel, stride, padding, ceilMode));
    }

    /// <summary>
    /// An AveragePool; <paramref name="padding"/> is the zero padding of a Pad before it, which counts in the average
    /// whatever count_include_pad says (the pool sees it as input).
    /// </summary>
    private void AveragePool(NodeProto node, (int Height, int Width)? padding)
    {
        var (kernel, stride, pads) = Window(node, [.. WindowAttributes, "ceil_mode", "count_include_pad"], kernelFromAttribute: null);
        if (padding is not null && pads != (0, 0)) throw Node(node, "pads what a Pad before it padded already");
        bool ceilMode = CeilMode(node), countIncludePad = padding is not null || Flag(node, "count_include_pad");
        if (padding is { } padded && ceilMode) RefuseWindowInPadding(node, kernel, stride, padded);
        Add(node, () => new AvgPool2D<T>(kernel, stride, padding ?? pads, ceilMode, countIncludePad));
    }

    /// <summary>ceil_mode, an attribute since opset 10: 0 or 1.</summary>
    private bool CeilMode(NodeProto node)
    {
        if (Attribute(node, "ceil_mode") is not null && _opset < 10) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has ceil_mode, which came in opset 10, in opset {_opset}"));
        return Flag(node, "ceil_mode");
    }

    /// <summary>An attribute of 0 (the default) or 1.</summary>
    private bool Flag(NodeProto node, string name) => Int(node, name, 0) switch
    {
        0 => false,
        1 => true,
        var value => throw Node(node, string.Create(CultureInfo.InvariantCulture, $"has {name} = {value}; only 0 and 1 are defined")),
    };

    /// <summary>
    /// An AveragePool in ceil mode after a Pad sees the padding as input, so it keeps a last window that starts in the right
    /// padding, which PyTorch's AvgPool2d (and AvgPool2D) leaves out: such a file, which then computes one more row or column
    /// than its network did, is refused.
    /// </summary>
    private void RefuseWindowInPadding(NodeProto node, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        if (_shape.Count != 3) return;
        var ours = Window2D.Create("AvgPool2D", kernel, stride, padding) with { CeilMode = true };
        var padded = Window2D.Create("AvgPool2D", kernel, stride, (0, 0)) with { CeilMode = true };
        int height = _shape[1], width = _shape[2];
        if (ours.OutputHeight(height) != padded.OutputHeight(height + 2 * padding.Height) || ours.OutputWidth(width) != padded.OutputWidth(width + 2 * padding.Width))
            throw Node(node, string.Create(CultureInfo.InvariantCulture,
                $"rounds up (ceil_mode = 1) over an image its Pad padded, keeping a last window that starts in the padding of the {height}×{width} input, which AvgPool2D (as PyTorch's AvgPool2d) leaves out"));
    }

    /// <summary>
    /// A Pad of zeros around the image, which PyTorch writes before every AveragePool, of nothing when the pool has no
    /// padding (its zeros count in the average, as AvgPool2D's padding does). Returns 1, having taken in the AveragePool.
    /// </summary>
    private int PadThenAveragePool(NodeProto node, NodeProto? next)
    {
        // Before opset 11 the pads and the value are attributes; from then on, inputs (a fourth, 'axes', came in opset 18).
        if (_opset < 11) Allowed(node, "mode", "pads", "value");
        else Allowed(node, "mode");
        if (Attribute(node, "mode") is { } mode && Encoding(mode) != "constant")
            throw Node(node, $"pads in mode '{Encoding(mode)}'; only padding with zeros can be imported");
        if (_shape.Count != 3) throw Node(node, $"pads samples of shape {Text(_shape)}; only images [C, H, W] can be imported");
        if (next is not { OpType: "AveragePool" })
            throw Node(node, "pads an image without an AveragePool after it; only the zero padding of an average pool can be imported");
        long[] pads = _opset < 11 ? Ints(node, "pads", 8, null) : Int64Values(node, Constant(node, 1, "pads"));
        bool zeros = _opset < 11 ? Float(node, "value", 0f) == 0f
            : node.Inputs.Length < 3 || node.Inputs[2].Length == 0 || Values(node, Constant(node, 2, "constant_value"), "constant_value") is [var value] && value == T.Zero;
        if (!zeros) throw Node(node, "pads with a value other than zero");
        if (node.Inputs.Length > 3) throw Node(node, "pads only some axes (its 'axes' input); only padding given for every axis can be imported");
        if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw Node(node, $"has pads {Text(pads)}; only padding of the height and width of [batch, C, H, W] can be imported");
        if (pads[2] != pads[6] || pads[3] != pads[7]) throw Node(node, $"pads {Text(pads)} unequally; NeuralNets pads top and bottom, left and right alike");
        AveragePool(next, (Length(node, pads[2], 0), Length(node, pads[3], 0)));
        return 1;
    }

    /// <summary>
    /// ONNX's GlobalAveragePool keeps the pooled axes ([C, 1, 1]). With a flatten after it (PyTorch's AdaptiveAvgPool2d(1)
    /// then flatten, and our export of GlobalAvgPool2D) it is one GlobalAvgPool2D; alone, a GlobalAvgPool2D then an Unflatten to [C, 1, 1].
    /// Returns 1 when it took in the flatten.
    /// </summary>
    private int GlobalAveragePool(NodeProto node, NodeProto? next)
    {
        NoAttributes(node);
        if (_shape.Count != 3) throw Node(node, $"receives samples of shape {Text(_shape)}; only images [C, H, W] can be pooled");
        int[] pooled = [_shape[0], 1, 1];
        bool flattened = next?.OpType switch
        {
            "Flatten" => FlattensAfterBatch(next, pooled.Length),
            "Reshape" => ReshapedSample(next, pooled, out _) is [_],
            "Squeeze" => Squeezed(next, pooled) is [_],
            _ => false,
        };
        Add(node, () => new GlobalAvgPool2D<T>());
        if (flattened) return 1;
        Add(node, () => new Unflatten<T>(1, pooled));
        return 0;
    }

    /// <summary>Whether a Flatten keeps the batch: axis 1 (or the same axis counted from the end of [batch, ...sample]).</summary>
    private bool FlattensAfterBatch(NodeProto node, int sampleRank)
    {
        Allowed(node, "axis");
        long axis = Int(node, "axis", 1);
        return axis == 1 || axis == -sampleRank;
    }
}
