using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// The ONNX form of each built-in layer, by <see cref="LayerDescription.Kind"/>. A new layer kind plugs in with one
/// entry here (or, for a layer outside the library, through <see cref="OnnxExportOptions.Mappings"/>).
/// </summary>
/// <remarks>Every mapping is valid in the operator set <see cref="OnnxFile.OperatorSetVersion"/>.</remarks>
public static class OnnxMappings
{
    /// <summary>The mappings of the library's layers.</summary>
    public static IReadOnlyDictionary<string, OnnxLayerMapping> BuiltIn { get; } = new Dictionary<string, OnnxLayerMapping>
    {
        // y = x·Wᵀ + b: Gemm with transB = 1 takes the [out, in] weight as it is.
        ["Dense"] = step => step.AddNode("Gemm", [step.Input, step.Parameters[0], step.Parameters[1]], OnnxAttribute.Int("transB", 1)),
        ["Conv2D"] = step => step.AddNode("Conv", [step.Input, step.Parameters[0], step.Parameters[1]], Window(step)),
        ["MaxPool2D"] = step => step.AddNode("MaxPool", [step.Input], Window(step)),
        // Zero padding counts in the average, as in PyTorch's AvgPool2d and our AvgPool2D.
        ["AvgPool2D"] = step => step.AddNode("AveragePool", [step.Input], [.. Window(step), OnnxAttribute.Int("count_include_pad", 1)]),
        ["ReLU"] = step => step.AddNode("Relu", [step.Input]),
        ["Sigmoid"] = step => step.AddNode("Sigmoid", [step.Input]),
        ["Tanh"] = step => step.AddNode("Tanh", [step.Input]),
        ["LeakyReLU"] = LeakyReLU,
        ["Softmax"] = Softmax,
        ["Flatten"] = step => step.AddNode("Flatten", [step.Input], OnnxAttribute.Int("axis", 1)),
        // Inference passes values through unchanged: no node.
        ["Dropout"] = step => step.Input,
        // ONNX's ConvTranspose takes the weight as [Cin, Cout, kH, kW], as we and PyTorch store it.
        ["ConvTranspose2D"] = step => step.AddNode("ConvTranspose", [step.Input, step.Parameters[0], step.Parameters[1]],
            [.. Window(step), OnnxAttribute.Ints("output_padding", (long)step.Description.Settings["outputPadH"], (long)step.Description.Settings["outputPadW"])]),
    };

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

    /// <summary>
    /// LeakyRelu's alpha is a 32-bit float, exact for a float network. In a double network a slope such as 0.01 would
    /// become 0.009999999776 and every negative output would move by 2e-8 relative, so it is written as PRelu with the
    /// slope as a double constant, the same function with the slope kept whole.
    /// </summary>
    private static string LeakyReLU(OnnxExportStep step)
    {
        double slope = step.Description.Settings["slope"];
        if ((double)(float)slope == slope || step.IsFloat)
            return step.AddNode("LeakyRelu", [step.Input], OnnxAttribute.Float("alpha", (float)slope));
        return step.AddNode("PRelu", [step.Input, step.AddConstant("slope", [1], [slope])]);
    }

    /// <summary>
    /// Our Softmax normalises over all of a sample's values; ONNX's (opset 13) over one axis. They agree when a sample
    /// is a vector, which is the only place a classifier puts it.
    /// </summary>
    private static string Softmax(OnnxExportStep step)
    {
        if (step.InputShape.Count != 1)
            throw new NotSupportedException(
                $"Softmax over a sample of shape [{string.Join(", ", step.InputShape)}] has no single ONNX operator (ONNX's Softmax normalises over one axis); put a Flatten before it.");
        return step.AddNode("Softmax", [step.Input], OnnxAttribute.Int("axis", -1));
    }
}
