using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.OnnxGraphs;

namespace NeuralNets.OnnxRuntime.Tests;

/// <summary>
/// Graphs that nearly match a form the importer reads (a Pad before AveragePool, GlobalAveragePool and a flatten, a
/// shape computed from the data's, a weight under a Transpose, Unsqueeze or Squeeze, an activation written as
/// elementwise nodes) but compute something else, or the same thing written otherwise: each is either refused, naming a
/// node, or imported as a network that predicts what ONNX Runtime computes, in values and in shape. Some refused graphs
/// are valid and computable (a Pad wider than half the pool's kernel, an Unsqueeze before the batch undone by a Squeeze):
/// the importer reads a narrow set of forms, and says which node departs from them.
/// </summary>
public class NearMissGraphTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>A hand-built float graph, its input's sample shape and opset, and whether the importer must refuse it.</summary>
    private sealed record Probe(int[] Sample, long Opset, bool Refused, Action<GraphProto> Build);

    private static readonly Dictionary<string, Probe> Probes = new()
    {
        // Pad before AveragePool.
        ["Pad of 1.5 (input)"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 1.5f),
        ["Pad of 1.5 (attribute, opset 9)"] = PadPool(refused: true, opset: 9, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 1.5f),
        ["Pad of 0 (attribute, opset 9)"] = PadPool(refused: false, opset: 9, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 0f),
        ["Pad of -0 (input)"] = PadPool(refused: false, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: -0f),
        ["Pad reflect"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: "reflect"),
        ["Pad edge"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: "edge"),
        ["Pad constant mode"] = PadPool(refused: false, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: "constant"),
        ["Pad with a value attribute (opset 13)"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 0f, pad: [Float("value", 2f)]),
        ["Pad on channels"] = PadPool(refused: true, opset: 13, pads: [0, 1, 1, 1, 0, 1, 1, 1]),
        ["Pad on batch"] = PadPool(refused: true, opset: 13, pads: [1, 0, 1, 1, 1, 0, 1, 1]),
        ["Pad negative"] = PadPool(refused: true, opset: 13, pads: [0, 0, -1, -1, 0, 0, -1, -1]),
        ["Pad beyond half the kernel"] = PadPool(refused: true, opset: 13, pads: [0, 0, 2, 2, 0, 0, 2, 2]),
        ["Pad then AveragePool count_include_pad=0"] = PadPool(refused: false, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], pool: [Int("count_include_pad", 0)]),
        ["Pad then AveragePool with its own pads"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], pool: [Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1)]),
        ["Pad then AveragePool ceil_mode"] = PadPool(refused: false, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1], pool: [Int("ceil_mode", 1)]),
        // Over the padded 4 × 7, ceil mode keeps a last window starting in the Pad's padding, which AvgPool2d leaves out.
        ["Pad then AveragePool ceil_mode, a window starting in the padding"] = PadPool(refused: true, opset: 13, pads: [0, 0, 1, 1, 0, 0, 1, 1],
            pool: [Int("ceil_mode", 1)], sample: [2, 4, 5]),
        // Pools with their own pads in ceil mode: ONNX Runtime leaves out a last window that would start in the right padding, as PyTorch does.
        ["MaxPool ceil_mode, a window in the padding left out"] = Pool("MaxPool", [2, 5, 7], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2),
            Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1)),
        ["MaxPool ceil_mode, overhanging"] = Pool("MaxPool", [2, 6, 5], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1)),
        ["AveragePool ceil_mode count_include_pad=1"] = Pool("AveragePool", [2, 6, 7], Ints("kernel_shape", 3, 2), Ints("strides", 2, 2),
            Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1), Int("count_include_pad", 1)),
        ["AveragePool ceil_mode count_include_pad=0"] = Pool("AveragePool", [2, 6, 7], Ints("kernel_shape", 3, 2), Ints("strides", 2, 2),
            Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1), Int("count_include_pad", 0)),
        ["AveragePool ceil_mode without pads"] = Pool("AveragePool", [2, 5, 7], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Int("ceil_mode", 1)),
        ["AveragePool count_include_pad=0"] = Pool("AveragePool", [2, 8, 9], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1)),
        ["MaxPool ceil_mode = 2"] = new([2, 5, 5], 13, true, g => g.Nodes.Add(Node("MaxPool", ["input"], "output", Ints("kernel_shape", 2, 2), Int("ceil_mode", 2)))),
        ["Pad feeding two nodes"] = new([1, 4, 4], 13, true, g =>
        {
            g.Initializers.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
            g.Nodes.Add(Node("Pad", ["input", "pads"], "p"));
            g.Nodes.Add(Node("AveragePool", ["p"], "a", Ints("kernel_shape", 2, 2)));
            g.Nodes.Add(Node("MaxPool", ["p"], "m", Ints("kernel_shape", 2, 2)));
            g.Nodes.Add(Node("Add", ["a", "m"], "output"));
        }),

        // GlobalAveragePool and what follows it.
        ["GlobalAveragePool then Reshape [N, C, 1]"] = Gap(refused: false, g => Reshape(g, "g", 0, 4, 1)),
        ["GlobalAveragePool then Reshape [N, -1]"] = Gap(refused: false, g => Reshape(g, "g", 0, -1)),
        ["GlobalAveragePool then Reshape [-1, 2]"] = Gap(refused: true, g => Reshape(g, "g", -1, 2)),
        ["GlobalAveragePool then Reshape [N, 2, 2]"] = Gap(refused: false, g => Reshape(g, "g", 0, 2, 2)),
        ["GlobalAveragePool then Flatten(-3)"] = Gap(refused: false, g => g.Nodes.Add(Node("Flatten", ["g"], "output", Int("axis", -3)))),
        ["GlobalAveragePool then Flatten(2)"] = Gap(refused: true, g => g.Nodes.Add(Node("Flatten", ["g"], "output", Int("axis", 2)))),

        // Shapes computed from the data's shape.
        ["Reshape to [C, -1] gathered from the shape"] = Computed(refused: true, g => Concat(g, Gathered(g, "c", 1), Constant(g, "rest", -1))),
        ["Reshape to [N, 2, -1, 1] gathered"] = Computed(refused: false, g => Concat(g, Gathered(g, "n", 0), Constant(g, "two", 2), Constant(g, "rest", -1), Constant(g, "one", 1))),
        ["Reshape to [N, bool(12), -1] gathered through Cast"] = new([12], 13, true, g =>
        {
            g.Nodes.Add(Node("Shape", ["input"], "shape"));
            Gathered(g, "f", 1);
            g.Nodes.Add(Node("Cast", ["f"], "truth", Int("to", 9)));
            g.Nodes.Add(Node("Cast", ["truth"], "one", Int("to", 7)));
            Concat(g, Gathered(g, "n", 0), "one", Constant(g, "rest", -1), Constant(g, "unit", 1));
            g.Nodes.Add(Node("Reshape", ["input", "target"], "r"));
            g.Nodes.Add(Node("GlobalAveragePool", ["r"], "output"));
        }),
        ["Reshape to [N, N] gathered"] = Computed(refused: true, g => Concat(g, Gathered(g, "n", 0), Gathered(g, "n2", 0))),
        ["Reshape through Slice"] = Computed(refused: true, g =>
        {
            g.Initializers.Add(Int64s("start", 0));
            g.Initializers.Add(Int64s("end", 1));
            g.Nodes.Add(Node("Slice", ["shape", "start", "end"], "n"));
            Concat(g, "n", Constant(g, "rest", -1));
        }),
        ["Reshape to [-1, 3] (batch mixed in)"] = new([6], 13, true, g => Reshape(g, "input", -1, 3)),
        ["Reshape with a 0 copying a sample length"] = new([2, 6], 13, false, g => Reshape(g, "input", 0, 0, 3, 2)),
        ["Reshape allowzero with a 0"] = new([2, 6], 14, true, g => Reshape(g, "input", [Int("allowzero", 1)], 0, 0, 12)),
        ["Shape of the input for a later Reshape"] = new([2, 3], 13, true, g =>
        {
            g.Nodes.Add(Node("Shape", ["input"], "shape"));
            g.Initializers.Add(Int64s("i0", 0));
            g.Nodes.Add(Node("Gather", ["shape", "i0"], "n"));
            g.Nodes.Add(Node("Relu", ["input"], "r"));
            g.Nodes.Add(Node("Concat", ["n", Constant(g, "rest", -1)], "target", Int("axis", 0)));
            g.Nodes.Add(Node("Reshape", ["r", "target"], "output"));
        }),

        // Weights folded from a Transpose, Unsqueeze or Squeeze.
        ["MatMul by an identity-permuted square weight"] = Folded(refused: false, 13, [4, 4], "Transpose", [Ints("perm", 0, 1)], transB: null),
        ["MatMul by a transposed square weight"] = Folded(refused: false, 13, [4, 4], "Transpose", [Ints("perm", 1, 0)], transB: null),
        ["Gemm by a transposed weight"] = Folded(refused: false, 13, [3, 4], "Transpose", [], transB: 0),
        ["Gemm transB by a transposed weight"] = Folded(refused: true, 13, [3, 4], "Transpose", [], transB: 1),
        ["Gemm transB by an identity-permuted weight"] = Folded(refused: false, 13, [3, 4], "Transpose", [Ints("perm", 0, 1)], transB: 1),
        ["MatMul by Unsqueeze axis 1 (attribute)"] = Folded(refused: false, 11, [4], "Unsqueeze", [Ints("axes", 1)], transB: null),
        ["MatMul by Unsqueeze axis 0 (attribute)"] = Folded(refused: true, 11, [4], "Unsqueeze", [Ints("axes", 0)], transB: null),
        ["MatMul by Unsqueeze axis -1 (input)"] = Folded(refused: false, 13, [4], "Unsqueeze", [], transB: null, axes: [-1]),
        ["MatMul by Unsqueeze axis 1 (attribute, opset 13)"] = Folded(refused: true, 13, [4], "Unsqueeze", [Ints("axes", 1)], transB: null),
        ["MatMul by Squeeze axis 0 (input)"] = Folded(refused: false, 13, [1, 4, 3], "Squeeze", [], transB: null, axes: [0]),
        ["MatMul by Squeeze axis 1 (not of length 1)"] = Folded(refused: true, 13, [1, 4, 3], "Squeeze", [], transB: null, axes: [1]),
        ["MatMul by Squeeze of every unit axis (attribute)"] = Folded(refused: false, 11, [1, 4, 1, 3], "Squeeze", [], transB: null),

        // Activations written as elementwise nodes.
        ["GELU with 0.5000001"] = Unary([4], g => Gelu(g, half: 0.5000001f)),
        ["GELU, erf(x/√2) + 1 times x without the 0.5"] = Unary([4], g => Gelu(g, half: null), refused: true),
        ["GELU as x · (1/√2) inside"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Mul", ["input", Constant(g, "k", (float)(1 / Math.Sqrt(2)))], "s"));
            g.Nodes.Add(Node("Erf", ["s"], "e"));
            g.Nodes.Add(Node("Add", [Constant(g, "one", 1f), "e"], "e1"));
            g.Nodes.Add(Node("Mul", ["e1", "input"], "m"));
            g.Nodes.Add(Node("Div", ["m", Constant(g, "two", 2f)], "output"));
        }),
        ["GELU with 1 − erf (Sub swapped)"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Div", ["input", Constant(g, "r2", (float)Math.Sqrt(2))], "s"));
            g.Nodes.Add(Node("Erf", ["s"], "e"));
            g.Nodes.Add(Node("Sub", [Constant(g, "one", 1f), "e"], "e1"));
            g.Nodes.Add(Node("Mul", ["input", "e1"], "m"));
            g.Nodes.Add(Node("Mul", ["m", Constant(g, "half", 0.5f)], "output"));
        }, refused: true),
        ["GELU tanh with 0.0447"] = Unary([4], g => GeluTanh(g, 0.0447f), refused: true),
        ["GELU tanh form"] = Unary([4], g => GeluTanh(g, 0.044715f)),
        ["ELU as Where(x > 0, x, 1(eˣ − 1))"] = Unary([4], g => EluWhere(g, "Greater", 0f, 1f)),
        // torch 1.13's export of torch.where(x > 0, x, torch.exp(x) - 1): Greater, Exp, Sub, Where, no product.
        ["ELU as Where(x > 0, x, eˣ − 1)"] = Unary([4], g => EluWhere(g, "Greater", 0f, alpha: null)),
        ["ELU as Where(x > 0, x, eˣ − 2)"] = Unary([4], g => EluWhere(g, "Greater", 0f, alpha: null, subtracted: 2f), refused: true),
        ["ELU as Where(x > 0.5, x, eˣ − 1)"] = Unary([4], g => EluWhere(g, "Greater", 0.5f, alpha: null), refused: true),
        ["ELU as Where(x > 0, eˣ − 1, x) (branches swapped)"] = Unary([4], g => EluWhere(g, "Greater", 0f, alpha: null, branchesSwapped: true), refused: true),
        ["ELU as Where(x > 0, x, 1 − eˣ)"] = Unary([4], g => EluWhere(g, "Greater", 0f, alpha: null, swapped: true), refused: true),
        ["Reshape to [N, -1] gathered at index -3"] = Computed(refused: false, g => Concat(g, Gathered(g, "n", -3), Constant(g, "rest", -1))),
        ["SiLU as σ(x) · x"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Mul", ["s", "input"], "output"));
        }),
        ["x · σ(2x)"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Mul", ["input", Constant(g, "two", 2f)], "d"));
            g.Nodes.Add(Node("Sigmoid", ["d"], "s"));
            g.Nodes.Add(Node("Mul", ["input", "s"], "output"));
        }, refused: true),
        ["x · σ(x) · σ(x) (an intermediate used twice)"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Mul", ["input", "s"], "m"));
            g.Nodes.Add(Node("Mul", ["m", "s"], "output"));
        }, refused: true),
        ["x · σ(x) · 1 (a scalar initializer)"] = Unary([4], g =>
        {
            g.Initializers.Add(Raw("w", [1], [1f]));
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Mul", ["input", "s"], "m"));
            g.Nodes.Add(Node("Mul", ["m", "w"], "output"));
        }),
        ["x · σ(x) · w (a weight vector)"] = Unary([4], g =>
        {
            g.Initializers.Add(Raw("w", [4], [1f, 2f, 3f, 4f]));
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Mul", ["input", "s"], "m"));
            g.Nodes.Add(Node("Mul", ["m", "w"], "output"));
        }, refused: true),
        ["x · σ(x) · c, c of shape [1, 1, 1], then Softmax (opset 11)"] = new([4], 11, true, g =>
        {
            g.Initializers.Add(Raw("c", [1, 1, 1], [1f]));
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Mul", ["input", "s"], "m"));
            g.Nodes.Add(Node("Mul", ["m", "c"], "b"));
            g.Nodes.Add(Node("Softmax", ["b"], "output", Int("axis", 1)));
        }),
        ["x / σ(x)"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Sigmoid", ["input"], "s"));
            g.Nodes.Add(Node("Div", ["input", "s"], "output"));
        }, refused: true),
        ["Softplus(2x) / 2"] = Unary([4], g => SoftplusBeta(g, 2f, 2f)),
        ["Softplus(2x) / 3"] = Unary([4], g => SoftplusBeta(g, 2f, 3f), refused: true),
        ["Softplus(2x) · 2"] = Unary([4], g =>
        {
            g.Nodes.Add(Node("Mul", ["input", Constant(g, "b", 2f)], "bx"));
            g.Nodes.Add(Node("Softplus", ["bx"], "sp"));
            g.Nodes.Add(Node("Mul", ["sp", Constant(g, "g", 2f)], "output"));
        }, refused: true),
        ["Softplus(2x) / 2 with a threshold (Where)"] = Unary([4], g => SoftplusWhere(g, 2f, 2f, 3f)),
        ["Softplus(2x) / 2 where 3x > 3 (another value tested)"] = Unary([4], g => SoftplusWhere(g, 3f, 2f, 3f), refused: true),
        ["ELU as Where(x > 0, x, 0.3(eˣ − 1))"] = Unary([4], g => EluWhere(g, "Greater", 0f, 0.3f)),
        ["ELU as Where(x > 1, x, 0.3(eˣ − 1))"] = Unary([4], g => EluWhere(g, "Greater", 1f, 0.3f), refused: true),
        ["ELU as Where(x < 0, x, 0.3(eˣ − 1))"] = Unary([4], g => EluWhere(g, "Less", 0f, 0.3f), refused: true),
        ["ELU with 1 − eˣ (Sub swapped)"] = Unary([4], g => EluWhere(g, "Greater", 0f, 0.3f, swapped: true), refused: true),

        // Squeeze and Unsqueeze of the samples' unit axes in the data path.
        ["Unsqueeze(1) then Squeeze(1), then Gemm"] = Squeezes(refused: false, 13, [4], [("Unsqueeze", [1]), ("Squeeze", [1])], gemmOf: 4),
        ["Unsqueeze(-1) then Squeeze(2) (attributes, opset 11), then Gemm"] = Squeezes(refused: false, 11, [4], [("Unsqueeze", [-1]), ("Squeeze", [2])], gemmOf: 4),
        ["Unsqueeze(1, 3) then Squeeze(3, 1)"] = Squeezes(refused: false, 13, [2, 3], [("Unsqueeze", [1, 3]), ("Squeeze", [3, 1])]),
        ["Squeeze of [N, 3, 1] at axis 2, then Gemm"] = Squeezes(refused: false, 13, [3, 1], [("Squeeze", [2])], gemmOf: 3),
        ["Unsqueeze(1) alone"] = Squeezes(refused: false, 13, [4], [("Unsqueeze", [1])]),
        ["Squeeze of [N, 1] to [N], then Unsqueeze(1)"] = Squeezes(refused: false, 13, [1], [("Squeeze", [1]), ("Unsqueeze", [1])]),
        ["GlobalAveragePool then Squeeze [2, 3]"] = Gap(refused: false, g => Axes(g, 13, "Squeeze", "g", "output", [2, 3])),
        ["GlobalAveragePool then Squeeze [-1, -2]"] = Gap(refused: false, g => Axes(g, 13, "Squeeze", "g", "output", [-1, -2])),
        ["Squeeze without axes (the batch's too, for a batch of one)"] = Squeezes(refused: true, 13, [3, 1], [("Squeeze", null)]),
        ["Squeeze of the batch axis"] = Squeezes(refused: true, 13, [4], [("Squeeze", [0])]),
        ["Squeeze of an axis not of length 1"] = Squeezes(refused: true, 13, [3, 1], [("Squeeze", [1])]),
        ["Squeeze of [N, 1] to [N] (samples of no axis)"] = Squeezes(refused: true, 13, [1], [("Squeeze", [1])]),
        ["Unsqueeze(0) then Squeeze(0) (an axis before the batch)"] = Squeezes(refused: true, 13, [4], [("Unsqueeze", [0]), ("Squeeze", [0])], gemmOf: 4),
        ["Unsqueeze(1) then Gemm (a matrix of rank 3)"] = Squeezes(refused: true, 13, [4], [("Unsqueeze", [1])], gemmOf: 4),
        ["Unsqueeze(1, 1) (an axis twice)"] = Squeezes(refused: true, 13, [4], [("Unsqueeze", [1, 1])]),
        ["Unsqueeze with axes as an attribute under opset 13"] = new([4], 13, true, g =>
        {
            g.Nodes.Add(Node("Unsqueeze", ["input"], "u", Ints("axes", 1)));
            g.Nodes.Add(Node("Relu", ["u"], "output"));
        }),

        ["MatMul + Add of a bias [1, 1, 3], then Softmax (opset 11)"] = new([4], 11, true, g =>
        {
            g.Initializers.Add(Raw("w", [4, 3], [.. Enumerable.Range(0, 12).Select(i => 0.1f * i)]));
            g.Initializers.Add(Raw("b", [1, 1, 3], [1f, 2f, 3f]));
            g.Nodes.Add(Node("MatMul", ["input", "w"], "m"));
            g.Nodes.Add(Node("Add", ["m", "b"], "a"));
            g.Nodes.Add(Node("Softmax", ["a"], "output", Int("axis", 1)));
        }),
        ["MatMul + Add of a bias [3, 1] (one per sample)"] = new([4], 13, true, g =>
        {
            g.Initializers.Add(Raw("w", [4, 3], [.. Enumerable.Range(0, 12).Select(i => 0.1f * i)]));
            g.Initializers.Add(Raw("b", [3, 1], [1f, 2f, 3f]));
            g.Nodes.Add(Node("MatMul", ["input", "w"], "m"));
            g.Nodes.Add(Node("Add", ["m", "b"], "output"));
        }),
        ["Gemm with C [3, 1] (one per sample)"] = new([4], 13, true, g =>
        {
            g.Initializers.Add(Raw("w", [4, 3], [.. Enumerable.Range(0, 12).Select(i => 0.1f * i)]));
            g.Initializers.Add(Raw("c", [3, 1], [1f, 2f, 3f]));
            g.Nodes.Add(Node("Gemm", ["input", "w", "c"], "output"));
        }),
        ["Gemm with C [1, 3]"] = new([4], 13, false, g =>
        {
            g.Initializers.Add(Raw("w", [4, 3], [.. Enumerable.Range(0, 12).Select(i => 0.1f * i)]));
            g.Initializers.Add(Raw("c", [1, 3], [1f, 2f, 3f]));
            g.Nodes.Add(Node("Gemm", ["input", "w", "c"], "output"));
        }),
        ["Dropout in training mode"] = new([4], 13, true, g =>
        {
            g.Initializers.Add(Raw("ratio", [], [0.5f]));
            g.Initializers.Add(new TensorProto { Name = "training", DataType = 9, Dims = [], RawData = new byte[] { 1 }, HasRawData = true });
            g.Nodes.Add(Node("Dropout", ["input", "ratio", "training"], "d"));
            g.Nodes.Add(Node("Relu", ["d"], "output"));
        }),
        ["PRelu of a slope [1, 1, 1], then Softmax (opset 11)"] = new([4], 11, true, g =>
        {
            g.Initializers.Add(Raw("slope", [1, 1, 1], [0.25f]));
            g.Nodes.Add(Node("PRelu", ["input", "slope"], "a"));
            g.Nodes.Add(Node("Softmax", ["a"], "output", Int("axis", 1)));
        }),

        // LogSoftmax: before opset 13 it normalises everything from its axis on, from opset 13 over that axis alone.
        ["LogSoftmax over a vector (opset 13, default axis)"] = Unary([5], g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output"))),
        ["LogSoftmax over a vector (opset 9, default axis)"] = new([5], 9, false, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output"))),
        ["LogSoftmax over an image from axis 1 (opset 11)"] = new([2, 3, 3], 11, false, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", 1)))),
        ["LogSoftmax over an image from axis -3 (opset 11)"] = new([2, 3, 3], 11, false, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", -3)))),
        ["LogSoftmax over an image's rows (opset 11)"] = new([2, 3, 3], 11, true, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", 3)))),
        ["LogSoftmax over an image's channels (opset 13)"] = new([2, 3, 3], 13, false, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", 1)))),
        ["LogSoftmax over an image's channels from the end (opset 13)"] = new([2, 3, 3], 13, false, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", -3)))),
        ["LogSoftmax over an image's rows (opset 13)"] = new([2, 3, 3], 13, true, g => g.Nodes.Add(Node("LogSoftmax", ["input"], "output", Int("axis", 2)))),

        // Graphs that are not a chain.
        ["A node reading its own output"] = new([4], 13, true, g => g.Nodes.Add(Node("Add", ["input", "output"], "output"))),
        ["Two nodes in a cycle"] = new([4], 13, true, g =>
        {
            g.Nodes.Add(Node("Add", ["input", "b"], "a"));
            g.Nodes.Add(Node("Relu", ["a"], "b"));
            g.Nodes.Add(Node("Relu", ["b"], "output"));
        }),
    };

    public static TheoryData<string> Names() => [.. Probes.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Import_NearMiss_RefusesNamingTheNodeOrPredictsWhatOnnxRuntimeComputes(string name)
    {
        var probe = Probes[name];
        var graph = Graph(probe.Sample, [], input: "input", output: "output");
        graph.Outputs[0].HasShape = false;
        probe.Build(graph);
        byte[] model = OnnxEncoder.Encode(Model(graph, probe.Opset));

        Sequential<float> network;
        try
        {
            network = OnnxFile.FromBytes<float>(model, "'probe.onnx'");
        }
        catch (InvalidDataException e)
        {
            probe.Refused.Should().BeTrue($"the importer refused it: {e.Message}");
            e.Message.Should().MatchRegex(@"node '[^']+' \(\w+\)|the value '[^']+' feeds");
            return;
        }
        probe.Refused.Should().BeFalse("the importer accepted it");
        const int batch = 3;
        var input = OnnxRuntimeRunner.Random<float>(5, batch, probe.Sample);
        var flat = new float[input.FlattenedLength];
        input.FlattenTo(flat);
        var (theirs, shape) = OnnxRuntimeRunner.RunWithShape(model, flat, [batch, .. probe.Sample]);
        var predicted = network.Predict(input);
        predicted.Lengths.ToArray().Select(length => (long)length).Should().Equal(shape, "the output's shape");
        var ours = new float[predicted.FlattenedLength];
        predicted.FlattenTo(ours);
        for (int i = 0; i < ours.Length; i++)
            Math.Abs(ours[i] - theirs[i]).Should().BeLessThanOrEqualTo(Tolerance * Math.Max(1, Math.Abs(theirs[i])), $"output {i}");
    }

    /// <summary>A MaxPool or AveragePool alone, which the importer must read.</summary>
    private static Probe Pool(string op, int[] sample, params AttributeProto[] attributes) =>
        new(sample, 13, false, g => g.Nodes.Add(Node(op, ["input"], "output", attributes)));

    private static Probe PadPool(bool refused, long opset, long[] pads, float value = 0f, string? mode = null, AttributeProto[]? pool = null, AttributeProto[]? pad = null,
        int[]? sample = null) =>
        new(sample ?? [2, 4, 4], opset, refused, g =>
        {
            var attributes = new List<AttributeProto>();
            if (mode is not null) attributes.Add(new AttributeProto { Name = "mode", Type = OnnxAttributeType.String, S = System.Text.Encoding.UTF8.GetBytes(mode) });
            if (opset < 11)
            {
                attributes.Add(Ints("pads", pads));
                attributes.Add(Float("value", value));
                g.Nodes.Add(Node("Pad", ["input"], "p", [.. attributes]));
            }
            else
            {
                g.Initializers.Add(Int64s("pads", pads));
                g.Initializers.Add(Raw("value", [], [value]));
                g.Nodes.Add(Node("Pad", ["input", "pads", "value"], "p", [.. attributes, .. pad ?? []]));
            }
            g.Nodes.Add(Node("AveragePool", ["p"], "output", [Ints("kernel_shape", 3, 2), Ints("strides", 1, 2), .. pool ?? []]));
        });

    private static Probe Gap(bool refused, Action<GraphProto> after) => new([4, 3, 2], 13, refused, g =>
    {
        g.Nodes.Add(Node("GlobalAveragePool", ["input"], "g"));
        after(g);
    });

    /// <summary>A Reshape of [N, 2, 6] to a shape that <paramref name="target"/> computes from Shape(input).</summary>
    private static Probe Computed(bool refused, Action<GraphProto> target) => new([2, 6], 13, refused, g =>
    {
        g.Nodes.Add(Node("Shape", ["input"], "shape"));
        target(g);
        g.Nodes.Add(Node("Reshape", ["input", "target"], "output"));
    });

    private static string Gathered(GraphProto g, string name, long index)
    {
        g.Initializers.Add(new TensorProto { Name = name + ".index", DataType = OnnxDataType.Int64, Dims = [], Int64Data = [index] });
        g.Nodes.Add(Node("Gather", ["shape", name + ".index"], name + ".scalar"));
        g.Initializers.Add(Int64s(name + ".axes", 0));
        g.Nodes.Add(Node("Unsqueeze", [name + ".scalar", name + ".axes"], name));
        return name;
    }

    private static void Concat(GraphProto g, params string[] parts) => g.Nodes.Add(Node("Concat", parts, "target", Int("axis", 0)));

    private static string Constant(GraphProto g, string name, long value)
    {
        g.Initializers.Add(Int64s(name, value));
        return name;
    }

    private static string Constant(GraphProto g, string name, float value)
    {
        g.Initializers.Add(Raw(name, [], [value]));
        return name;
    }

    private static void Reshape(GraphProto g, string data, params long[] target) => Reshape(g, data, [], target);

    private static void Reshape(GraphProto g, string data, AttributeProto[] attributes, params long[] target)
    {
        g.Initializers.Add(Int64s("target", target));
        g.Nodes.Add(Node("Reshape", [data, "target"], "output", attributes));
    }

    /// <summary>A MatMul (or Gemm) of [N, 4] samples by a weight that <paramref name="op"/> computes from an initializer of <paramref name="dims"/>.</summary>
    private static Probe Folded(bool refused, long opset, long[] dims, string op, AttributeProto[] attributes, long? transB, long[]? axes = null) =>
        new([4], opset, refused, g =>
        {
            int count = (int)dims.Aggregate(1L, (a, b) => a * b);
            g.Initializers.Add(Raw("w", dims, [.. Enumerable.Range(0, count).Select(i => MathF.Sin(0.7f * i + 0.3f))]));
            string[] inputs = axes is null ? ["w"] : ["w", "axes"];
            if (axes is not null) g.Initializers.Add(Int64s("axes", axes));
            g.Nodes.Add(Node(op, inputs, "folded", attributes));
            g.Nodes.Add(transB is { } t ? Node("Gemm", ["input", "folded"], "output", Int("transB", t)) : Node("MatMul", ["input", "folded"], "output"));
        });

    private static Probe Unary(int[] sample, Action<GraphProto> build, bool refused = false) => new(sample, 13, refused, build);

    /// <summary>x · (erf(x / √2) + 1) · <paramref name="half"/> (without the last product when null).</summary>
    private static void Gelu(GraphProto g, float? half)
    {
        g.Nodes.Add(Node("Div", ["input", Constant(g, "r2", (float)Math.Sqrt(2))], "s"));
        g.Nodes.Add(Node("Erf", ["s"], "e"));
        g.Nodes.Add(Node("Add", ["e", Constant(g, "one", 1f)], "e1"));
        g.Nodes.Add(Node("Mul", ["input", "e1"], half is null ? "output" : "m"));
        if (half is { } h) g.Nodes.Add(Node("Mul", ["m", Constant(g, "half", h)], "output"));
    }

    private static void GeluTanh(GraphProto g, float cubic)
    {
        g.Nodes.Add(Node("Mul", ["input", "input"], "x2"));
        g.Nodes.Add(Node("Mul", ["x2", "input"], "x3"));
        g.Nodes.Add(Node("Mul", ["x3", Constant(g, "c", cubic)], "cx3"));
        g.Nodes.Add(Node("Add", ["input", "cx3"], "inner"));
        g.Nodes.Add(Node("Mul", ["inner", Constant(g, "k", (float)Math.Sqrt(2 / Math.PI))], "scaled"));
        g.Nodes.Add(Node("Tanh", ["scaled"], "t"));
        g.Nodes.Add(Node("Add", ["t", Constant(g, "one", 1f)], "t1"));
        g.Nodes.Add(Node("Mul", ["input", Constant(g, "half", 0.5f)], "hx"));
        g.Nodes.Add(Node("Mul", ["hx", "t1"], "output"));
    }

    private static void SoftplusBeta(GraphProto g, float beta, float divisor)
    {
        g.Nodes.Add(Node("Mul", ["input", Constant(g, "b", beta)], "bx"));
        g.Nodes.Add(Node("Softplus", ["bx"], "sp"));
        g.Nodes.Add(Node("Div", ["sp", Constant(g, "d", divisor)], "output"));
    }

    /// <summary>Where(<paramref name="tested"/>·x &gt; threshold, x, softplus(βx)/β).</summary>
    private static void SoftplusWhere(GraphProto g, float tested, float beta, float threshold)
    {
        g.Nodes.Add(Node("Mul", ["input", Constant(g, "t", tested)], "tx"));
        g.Nodes.Add(Node("Greater", ["tx", Constant(g, "threshold", threshold)], "above"));
        g.Nodes.Add(Node("Mul", ["input", Constant(g, "b", beta)], "bx"));
        g.Nodes.Add(Node("Softplus", ["bx"], "sp"));
        g.Nodes.Add(Node("Div", ["sp", Constant(g, "b2", beta)], "soft"));
        g.Nodes.Add(Node("Where", ["above", "input", "soft"], "output"));
    }

    /// <summary>Where(x <paramref name="comparison"/> bound, x, α(eˣ − <paramref name="subtracted"/>)), without the product when α is null.</summary>
    private static void EluWhere(GraphProto g, string comparison, float bound, float? alpha, bool swapped = false, float subtracted = 1f, bool branchesSwapped = false)
    {
        g.Nodes.Add(Node(comparison, ["input", Constant(g, "bound", bound)], "positive"));
        g.Nodes.Add(Node("Exp", ["input"], "e"));
        g.Nodes.Add(Node("Sub", swapped ? [Constant(g, "one", subtracted), "e"] : ["e", Constant(g, "one", subtracted)], alpha is null ? "negative" : "em1"));
        if (alpha is { } a) g.Nodes.Add(Node("Mul", ["em1", Constant(g, "alpha", a)], "negative"));
        g.Nodes.Add(Node("Where", branchesSwapped ? ["positive", "negative", "input"] : ["positive", "input", "negative"], "output"));
    }

    /// <summary>A Squeeze or Unsqueeze of <paramref name="data"/> into <paramref name="output"/>: its axes an input from opset 13, an attribute before; none when null.</summary>
    private static void Axes(GraphProto g, long opset, string op, string data, string output, long[]? axes)
    {
        if (axes is null) g.Nodes.Add(Node(op, [data], output));
        else if (opset >= 13)
        {
            g.Initializers.Add(Int64s(output + ".axes", axes));
            g.Nodes.Add(Node(op, [data, output + ".axes"], output));
        }
        else g.Nodes.Add(Node(op, [data], output, Ints("axes", axes)));
    }

    /// <summary>
    /// Samples of <paramref name="sample"/> through Unsqueeze and Squeeze nodes in turn (each op and its axes), then a
    /// Relu, or a Gemm into 3 outputs when <paramref name="gemmOf"/> gives the features it receives.
    /// </summary>
    private static Probe Squeezes(bool refused, long opset, int[] sample, (string Op, long[]? Axes)[] steps, int? gemmOf = null) =>
        new(sample, opset, refused, g =>
        {
            string value = "input";
            for (int i = 0; i < steps.Length; i++)
            {
                Axes(g, opset, steps[i].Op, value, "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), steps[i].Axes);
                value = "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (gemmOf is not { } features)
            {
                g.Nodes.Add(Node("Relu", [value], "output"));
                return;
            }
            g.Initializers.Add(Raw("w", [features, 3], [.. Enumerable.Range(0, 3 * features).Select(i => MathF.Sin(0.7f * i + 0.3f))]));
            g.Initializers.Add(Raw("c", [3], [0.5f, -0.25f, 1f]));
            g.Nodes.Add(Node("Gemm", [value, "w", "c"], "output"));
        });
}
