using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>
/// Backward adds into parameter gradients (twice doubles them), does not write into the gradient it is given, and returns
/// a gradient of exactly its input's shape.
/// </summary>
internal static class BackwardRules
{
    public const string Adds = "Backward adds into parameter gradients";
    public const string LeavesArgument = "Backward leaves its argument alone";
    public const string ReturnsInputShape = "Backward returns a gradient of the input's shape";

    // Two passes of the same sums in the same order: only rounding of the doubling itself may differ.
    private const double Tolerance = 1e-12;

    /// <summary>
    /// One Forward, then Backward twice with one gradient: <see cref="Adds"/>'s outcome, then <see cref="LeavesArgument"/>'s,
    /// then <see cref="ReturnsInputShape"/>'s (judged on the first Backward's result).
    /// </summary>
    /// <remarks>An exception from Forward or the first Backward stands for all three rules (the caller reports it); one from the second is <see cref="Adds"/>' alone.</remarks>
    public static IEnumerable<RuleResult> Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var input = ContractTensors.Random(options.Seed + 200, ContractTensors.Batched(3, sample));
        foreach (var p in layer.Parameters) p.ZeroGradient();
        var output = layer.Forward(input, training: true);
        var outputShape = ContractTensors.Shape(output);
        var gradient = ContractTensors.Random(options.Seed + 201, outputShape);
        var gradientBefore = ContractTensors.Values(gradient);

        var shape = Shape(ContractTensors.Shape(input), ContractTensors.Shape(layer.Backward(gradient)));
        var once = layer.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();
        string? changed = ContractTensors.FirstDifference("outputGradient", outputShape, ContractTensors.Values(gradient), gradientBefore, 0, "after Backward", "before");
        try
        {
            layer.Backward(gradient);
        }
        catch (Exception e)
        {
            return
            [
                new RuleResult(Adds, RuleStatus.Failed,
                    $"Backward must work again after one Forward (the contract calls it twice to see it add), so keep what it reads, such as the cached input, until the next Forward; the second Backward threw {ThrownException.Describe(e)}"),
                changed is null
                    ? new RuleResult(LeavesArgument, RuleStatus.Blocked, $"not judged until \"{Adds}\" passes: the first Backward left its argument alone, the second threw") { BlockedBy = Adds }
                    : Wrote(changed),
                shape,
            ];
        }
        changed ??= ContractTensors.FirstDifference("outputGradient", outputShape, ContractTensors.Values(gradient), gradientBefore, 0, "after the second Backward", "before");
        return [Doubling(layer, once), changed is null ? new RuleResult(LeavesArgument, RuleStatus.Passed, "") : Wrote(changed), shape];
    }

    // The values alone do not show it (a gradient check compares them flat), but the layer before this one in a
    // Sequential receives this tensor as its output gradient and cannot take another shape.
    private static RuleResult Shape(int[] input, int[] returned) => returned.SequenceEqual(input)
        ? new RuleResult(ReturnsInputShape, RuleStatus.Passed, "")
        : new RuleResult(ReturnsInputShape, RuleStatus.Failed,
            $"Backward returned a tensor of shape {ContractTensors.ShapeText(returned)} for an input of shape {ContractTensors.ShapeText(input)}; "
            + "it must return the input's shape exactly (one derivative per input element, in the input's layout), because in a Sequential "
            + "the layer before this one takes it as its output gradient");

    private static RuleResult Wrote(string changed) => new(LeavesArgument, RuleStatus.Failed, $"Backward wrote into the gradient it was given: {changed}");

    private static RuleResult Doubling(ILayer<double> layer, double[][] once)
    {
        if (layer.Parameters.Count == 0) return new RuleResult(Adds, RuleStatus.Passed, "no parameters");
        for (int i = 0; i < once.Length; i++)
        {
            var p = layer.Parameters[i];
            var doubled = once[i].Select(g => 2 * g).ToArray();
            string? wrong = ContractTensors.FirstDifference(p.Name, p.Shape, p.GradientSpan, doubled, Tolerance, "after two Backward calls", "twice the first");
            if (wrong is null) continue;
            bool overwritten = ContractTensors.FirstDifference(p.Name, p.Shape, p.GradientSpan, once[i], Tolerance, "", "") is null;
            return new RuleResult(Adds, RuleStatus.Failed, wrong + (overwritten
                ? " (the second Backward overwrote the gradient instead of adding to it: use += so gradients of several passes accumulate)"
                : ""));
        }
        return new RuleResult(Adds, RuleStatus.Passed, "");
    }
}
