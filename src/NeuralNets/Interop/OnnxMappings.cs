using System.Globalization;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Interop;

/// <summary>
/// The ONNX form of each built-in layer, by <see cref="LayerDescription.Kind"/>. A new layer kind plugs in with one
/// entry here (or, for a layer outside the library, through <see cref="OnnxExportOptions.Mappings"/>).
/// </summary>
/// <remarks>Every mapping is valid in the operator set <see cref="OnnxFile.OperatorSetVersion"/>, but LayerNorm's
/// LayerNormalization, which came in <see cref="OnnxFile.LayerNormalizationOperatorSetVersion"/>.</remarks>
public static class OnnxMappings
{
    /// <summary>The mappings of the library's layers.</summary>
    public static IReadOnlyDictionary<string, OnnxLayerMapping> BuiltIn { get; } = new Dictionary<string, OnnxLayerMapping>
    {
        // y = x·Wᵀ + b: Gemm with transB = 1 takes the [out, in] weight as it is. A layer without a bias has one parameter,
        // and its node no bias input (Gemm without C, Conv and ConvTranspose without B), as PyTorch's bias=False exports.
        ["Dense"] = step => step.AddNode("Gemm", [step.Input, .. step.Parameters], OnnxAttribute.Int("transB", 1)),
        ["Conv2D"] = step => step.AddNode("Conv", [step.Input, .. step.Parameters], [.. Window(step), .. Group(step)]),
        ["MaxPool2D"] = step => step.AddNode("MaxPool", [step.Input], [.. Window(step), .. CeilMode(step)]),
        // Zero padding counts in the average, as in PyTorch's AvgPool2d and our AvgPool2D by default.
        ["AvgPool2D"] = step => step.AddNode("AveragePool", [step.Input],
            [.. Window(step), OnnxAttribute.Int("count_include_pad", step.Description.Settings.GetValueOrDefault(PoolWindow.CountIncludePadSetting, 1) == 0 ? 0 : 1),
                .. CeilMode(step)]),
        ["ReLU"] = step => step.AddNode("Relu", [step.Input]),
        ["Sigmoid"] = step => step.AddNode("Sigmoid", [step.Input]),
        ["Tanh"] = step => step.AddNode("Tanh", [step.Input]),
        ["LeakyReLU"] = LeakyReLU,
        ["Softmax"] = step => OverTheLastAxis(step, "Softmax"),
        ["LogSoftmax"] = step => step.AddNode("LogSoftmax", [step.Input], OnnxAttribute.Int("axis", step.InputShape.Count == 1 ? -1 : 1)),
        ["Flatten"] = step => step.AddNode("Flatten", [step.Input], OnnxAttribute.Int("axis", 1)),
        // Inference passes values through unchanged: no node.
        ["Dropout"] = step => step.Input,
        // ONNX's ConvTranspose takes the weight as [Cin, Cout, kH, kW], as we and PyTorch store it.
        ["ConvTranspose2D"] = step => step.AddNode("ConvTranspose", [step.Input, .. step.Parameters],
            [.. Window(step), OnnxAttribute.Ints("output_padding", (long)step.Description.Settings["outputPadH"], (long)step.Description.Settings["outputPadW"]),
                .. Group(step)]),
        // A Reshape to [0, ...output shape]: 0 copies the batch length, so the batch stays symbolic.
        ["Unflatten"] = step => step.AddNode("Reshape",
            [step.Input, step.AddInt64Constant("shape", [step.OutputShape.Count + 1], [0, .. step.OutputShape.Select(length => (long)length)])]),
        // Issue 16 layers.
        ["GELU"] = Gelu,
        ["ELU"] = Elu,
        ["SiLU"] = step => step.AddNode("Mul", [step.Input, step.AddNode("Sigmoid", [step.Input])]),
        ["Softplus"] = Softplus,
        // Our layer's output is [C], ONNX's GlobalAveragePool's [C, 1, 1]: Flatten joins them.
        ["GlobalAvgPool2D"] = step => step.AddNode("Flatten", [step.AddNode("GlobalAveragePool", [step.Input])], OnnxAttribute.Int("axis", 1)),
        ["BatchNorm1D"] = BatchNormalization,
        ["BatchNorm2D"] = BatchNormalization,
        ["PReLU"] = step => step.AddNode("PRelu", [step.Input, PReluSlopes(step)]),
        ["Hardtanh"] = step => step.AddNode("Clip", [step.Input, Scalar(step, "min", step.Description.Settings["min"]), Scalar(step, "max", step.Description.Settings["max"])]),
        ["Hardsigmoid"] = step => step.AddNode("Div", [HardClip(step), Scalar(step, "six", 6)]),
        ["Hardswish"] = step => step.AddNode("Div", [step.AddNode("Mul", [step.Input, HardClip(step)]), Scalar(step, "six", 6)]),
        ["LayerNorm"] = LayerNormalization,
    };

    /// <summary>
    /// min(max(x + 3, 0), 6), the hard activations' clamp, in PyTorch's order of operations: ONNX's HardSigmoid computes
    /// αx + β instead (another rounding), and HardSwish came only in opset 14.
    /// </summary>
    private static string HardClip(OnnxExportStep step) =>
        step.AddNode("Clip", [step.AddNode("Add", [step.Input, Scalar(step, "three", 3)]), Scalar(step, "zero", 0), Scalar(step, "six_bound", 6)]);

    /// <summary>
    /// LayerNormalization (opset 17, which <see cref="OnnxFile"/> then writes) over the last len(normalized shape) axes,
    /// γ and β the initializers <c>"{i}.weight"</c> and <c>"{i}.bias"</c>; a layer without them writes a scale of ones in a
    /// Constant node and no bias, which the importer reads back as such a layer. ε is a float attribute, as in PyTorch's export.
    /// </summary>
    private static string LayerNormalization(OnnxExportStep step)
    {
        var shape = step.Description.ListSettings[LayerNorm<double>.NormalizedShapeSetting];
        var attributes = new[] { OnnxAttribute.Int("axis", -shape.Count), OnnxAttribute.Float("epsilon", (float)step.Description.Settings["epsilon"]) };
        if (step.Parameters.Count == 2) return step.AddNode("LayerNormalization", [step.Input, .. step.Parameters], attributes);
        long[] dims = [.. shape.Select(length => (long)length)];
        var ones = new double[shape.Aggregate(1, (product, length) => product * length)];
        ones.AsSpan().Fill(1);
        return step.AddNode("LayerNormalization", [step.Input, step.AddConstantNode(dims, ones)], attributes);
    }

    /// <summary>A constant scalar of the network's element type.</summary>
    private static string Scalar(OnnxExportStep step, string name, double value) => step.AddConstant(name, [], [value]);

    /// <summary>
    /// opset 13 has no Gelu (it came in opset 20): the exact form is ½x(1 + erf(x/√2)) from Erf; the tanh form is
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    /// </summary>
    private static string Gelu(OnnxExportStep step)
    {
        string x = step.Input, inner;
        if (step.Description.Settings["tanhApproximation"] == 0)
        {
            inner = step.AddNode("Erf", [step.AddNode("Mul", [x, Scalar(step, "inverseSqrt2", 1 / Math.Sqrt(2))])]);
        }
        else
        {
            string cube = step.AddNode("Mul", [x, step.AddNode("Mul", [x, x])]);
            string sum = step.AddNode("Add", [x, step.AddNode("Mul", [cube, Scalar(step, "cubic", 0.044715)])]);
            inner = step.AddNode("Tanh", [step.AddNode("Mul", [sum, Scalar(step, "sqrt2OverPi", Math.Sqrt(2 / Math.PI))])]);
        }
        string half = step.AddNode("Mul", [x, Scalar(step, "half", 0.5)]);
        return step.AddNode("Mul", [half, step.AddNode("Add", [inner, Scalar(step, "one", 1)])]);
    }

    /// <summary>Elu's alpha is a 32-bit float; a double network whose alpha a float cannot hold is written out as Where(x &gt; 0, x, α·(eˣ − 1)).</summary>
    private static string Elu(OnnxExportStep step)
    {
        double alpha = step.Description.Settings["alpha"];
        if ((double)(float)alpha == alpha || step.IsFloat)
            return step.AddNode("Elu", [step.Input], OnnxAttribute.Float("alpha", (float)alpha));
        string x = step.Input;
        string negative = step.AddNode("Mul", [step.AddNode("Sub", [step.AddNode("Exp", [x]), Scalar(step, "one", 1)]), Scalar(step, "alpha", alpha)]);
        return step.AddNode("Where", [step.AddNode("Greater", [x, Scalar(step, "zero", 0)]), x, negative]);
    }

    /// <summary>
    /// ONNX's Softplus has neither β nor a threshold: Where(βx &gt; threshold, x, Softplus(βx)/β), as PyTorch computes it,
    /// or Softplus alone when β = 1 and the threshold is at least 40.
    /// </summary>
    private static string Softplus(OnnxExportStep step)
    {
        double beta = step.Description.Settings["beta"], threshold = step.Description.Settings["threshold"];
        string x = step.Input;
        // From x = 40 on, log(1 + eˣ) is x to a double's precision: the threshold changes nothing, and plain Softplus
        // (which the importer reads back) is exact.
        if (beta == 1 && threshold >= 40) return step.AddNode("Softplus", [x]);
        string scaled = beta == 1 ? x : step.AddNode("Mul", [x, Scalar(step, "beta", beta)]);
        string soft = step.AddNode("Softplus", [scaled]);
        if (beta != 1) soft = step.AddNode("Div", [soft, Scalar(step, "beta2", beta)]);
        return step.AddNode("Where", [step.AddNode("Greater", [scaled, Scalar(step, "threshold", threshold)]), x, soft]);
    }

    /// <summary>
    /// BatchNormalization in inference form, the running statistics as constants from the layer's description; a layer
    /// without γ and β (<c>affine</c> 0) writes a constant scale of ones and bias of zeros, which the importer reads back
    /// as such a layer.
    /// </summary>
    private static string BatchNormalization(OnnxExportStep step)
    {
        int features = (int)step.Description.Settings["features"];
        double[] Statistic(string key) => BatchNorm<double>.Decode(step.Description.TextSettings[key], features)
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Layer {step.LayerIndex}: '{key}' does not hold {features} values."));
        string mean = step.AddConstant("runningMean", [features], Statistic(BatchNorm<double>.RunningMeanSetting));
        double epsilon = step.Description.Settings["epsilon"];
        var runningVariance = Statistic(BatchNorm<double>.RunningVarianceSetting);
        // The epsilon attribute is a 32-bit float: 1e-5 would become 0.99999997e-5. A double network whose ε a float
        // cannot hold adds ε to the variance constant instead and passes 0.
        bool foldEpsilon = !step.IsFloat && (double)(float)epsilon != epsilon;
        if (foldEpsilon) for (int c = 0; c < features; c++) runningVariance[c] += epsilon;
        string variance = step.AddConstant("runningVar", [features], runningVariance);
        bool affine = step.Parameters.Count == 2;
        string scale = affine ? step.Parameters[0] : step.AddConstant("scale", [features], Enumerable.Repeat(1.0, features).ToArray());
        string bias = affine ? step.Parameters[1] : step.AddConstant("bias", [features], new double[features]);
        return step.AddNode("BatchNormalization", [step.Input, scale, bias, mean, variance],
            OnnxAttribute.Float("epsilon", foldEpsilon ? 0f : (float)epsilon));
    }

    /// <summary>The attributes of a 2-D window: kernel_shape, strides and pads (top, left, bottom, right).</summary>
    private static OnnxAttribute[] Window(OnnxExportStep step)
    {
        long Setting(string key) => (long)step.Description.Settings[key];
        long padH = Setting("padH"), padW = Setting("padW");
        return
        [
            OnnxAttribute.Ints("kernel_shape", Setting("kernelH"), Setting("kernelW")),
            OnnxAttribute.Ints("strides", Setting("strideH"), Setting("strideW")),
            OnnxAttribute.Ints("pads", padH, padW, padH, padW),
        ];
    }

    /// <summary>group for a convolution of more than one group (its weight is ONNX's as it is); nothing otherwise, as PyTorch exports.</summary>
    private static OnnxAttribute[] Group(OnnxExportStep step) =>
        step.Description.Settings.GetValueOrDefault(ChannelGroups.Setting, 1) is var groups && groups > 1 ? [OnnxAttribute.Int("group", (long)groups)] : [];

    /// <summary>ceil_mode = 1 for a pool in ceil mode (an attribute since opset 10); nothing otherwise, as files written before it hold.</summary>
    private static OnnxAttribute[] CeilMode(OnnxExportStep step) =>
        step.Description.Settings.GetValueOrDefault(Window2D.CeilModeSetting) == 1 ? [OnnxAttribute.Int("ceil_mode", 1)] : [];

    /// <summary>
    /// LeakyRelu's alpha is a 32-bit float, exact for a float network. In a double network a slope such as 0.01 would
    /// become 0.009999999776 and every negative output would move by 2e-8 relative, so it is written as PRelu with the
    /// slope as a double Constant node, the same function with the slope kept whole; a Constant node, not an initializer,
    /// so that the importer reads it back as the fixed slope of a LeakyReLU, not as a PReLU's learnt one.
    /// </summary>
    private static string LeakyReLU(OnnxExportStep step)
    {
        double slope = step.Description.Settings["slope"];
        if ((double)(float)slope == slope || step.IsFloat)
            return step.AddNode("LeakyRelu", [step.Input], OnnxAttribute.Float("alpha", (float)slope));
        return step.AddNode("PRelu", [step.Input, step.AddConstantNode([1], [slope])]);
    }

    /// <summary>
    /// PRelu broadcasts its slope against the input from the right, NumPy's way; PyTorch's per-channel slopes lie along
    /// axis 1, so C slopes before a sample <c>[C, H, W]</c> become <c>[C, 1, 1]</c>: the initializer <c>"{i}.weight"</c>
    /// of shape <c>[C]</c> through an Unsqueeze, as <c>torch.onnx.export</c> writes it without constant folding. One slope,
    /// or slopes of a vector sample <c>[C]</c>, broadcast as they are.
    /// </summary>
    private static string PReluSlopes(OnnxExportStep step)
    {
        int trailing = step.InputShape.Count - 1;
        if (step.Description.Settings[PReLU<double>.SlopesSetting] == 1 || trailing == 0) return step.Parameters[0];
        long[] axes = [.. Enumerable.Range(1, trailing).Select(axis => (long)axis)];
        return step.AddNode("Unsqueeze", [step.Parameters[0], step.AddInt64Constant("axes", [trailing], axes)]);
    }

    /// <summary>
    /// Our Softmax normalises over all of a sample's values; ONNX's (opset 13) over one axis. They agree when a sample is a
    /// vector, which is the only place a classifier puts it. (LogSoftmax, over axis 1 as ONNX's, maps to it directly.)
    /// </summary>
    private static string OverTheLastAxis(OnnxExportStep step, string operatorName)
    {
        if (step.InputShape.Count != 1)
            throw new NotSupportedException(
                $"{step.Description.Kind} over a sample of shape {TensorMemory.ShapeText(step.InputShape)} has no single ONNX operator (ONNX's {operatorName} normalises over one axis); put a Flatten before it.");
        return step.AddNode(operatorName, [step.Input], OnnxAttribute.Int("axis", -1));
    }
}
