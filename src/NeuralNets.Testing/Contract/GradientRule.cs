using System.Globalization;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Testing.Gradients;

namespace NeuralNets.Testing.Contract;

/// <summary>Backward agrees with central differences for the input and every parameter, at a batch of one and at larger random batches.</summary>
internal static class GradientRule
{
    public const string Name = "gradients match central differences";

    public static RuleResult Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var shapes = new List<int[]> { ContractTensors.Batched(1, sample) };
        foreach (int batch in options.Batches) shapes.Add(ContractTensors.Batched(batch, sample));
        // A layer that accepts other sample shapes (activations, convolutions) is also checked at one drawn at random.
        var random = new Random(options.Seed);
        int[] other = [.. sample];
        other[^1] += 1 + random.Next(3);
        if (ShapeRules.Accepts(layer, other)) shapes.Add(ContractTensors.Batched(2, other));

        int elements = 0;
        double worst = 0;
        for (int k = 0; k < shapes.Count; k++)
        {
            var input = ContractTensors.Random(options.Seed + 100 + k, shapes[k]);
            var result = GradientCheck.Layer(layer, input, seed: options.Seed + k);
            if (!result.Passed(options.GradientTolerance))
                return new RuleResult(Name, RuleStatus.Failed, $"at input shape {ContractTensors.ShapeText(shapes[k])}\n{result.Explain(options.GradientTolerance)}");
            elements += result.ElementsChecked;
            worst = Math.Max(worst, result.MaxRelativeError);
        }
        string checkedShapes = string.Join(", ", shapes.Select(ContractTensors.ShapeText));
        return new RuleResult(Name, RuleStatus.Passed, string.Create(CultureInfo.InvariantCulture,
            $"input shapes {checkedShapes}; {elements} derivatives, worst relative error {worst:E2}"));
    }
}
