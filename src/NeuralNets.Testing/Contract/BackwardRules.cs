using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>Backward adds into parameter gradients (twice doubles them) and does not write into the gradient it is given.</summary>
internal static class BackwardRules
{
    public const string Adds = "Backward adds into parameter gradients";
    public const string LeavesArgument = "Backward leaves its argument alone";

    // Two passes of the same sums in the same order: only rounding of the doubling itself may differ.
    private const double Tolerance = 1e-12;

    public static IEnumerable<RuleResult> Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var input = ContractTensors.Random(options.Seed + 200, ContractTensors.Batched(3, sample));
        foreach (var p in layer.Parameters) p.ZeroGradient();
        var output = layer.Forward(input, training: true);
        var outputShape = ContractTensors.Shape(output);
        var gradient = ContractTensors.Random(options.Seed + 201, outputShape);
        var gradientBefore = ContractTensors.Values(gradient);

        layer.Backward(gradient);
        var once = layer.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();
        string? changed = ContractTensors.FirstDifference("outputGradient", outputShape, ContractTensors.Values(gradient), gradientBefore, 0, "after Backward", "before");
        layer.Backward(gradient);
        changed ??= ContractTensors.FirstDifference("outputGradient", outputShape, ContractTensors.Values(gradient), gradientBefore, 0, "after the second Backward", "before");

        yield return changed is null
            ? new RuleResult(LeavesArgument, RuleStatus.Passed, "")
            : new RuleResult(LeavesArgument, RuleStatus.Failed, $"Backward wrote into the gradient it was given: {changed}");
        yield return Doubling(layer, once);
    }

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
