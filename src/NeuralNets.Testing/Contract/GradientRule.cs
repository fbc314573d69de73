using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Testing.Gradients;

namespace NeuralNets.Testing.Contract;

/// <summary>
/// Backward agrees with central differences for the input and every parameter, at a batch of one and at larger random
/// batches, in inference and, where the layer's training pass differs, in training mode too.
/// </summary>
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

        // Training mode is checked where it differs by design: Backward must then follow the training pass (BatchNorm's
        // batch statistics, Dropout's mask), which inference alone never shows.
        bool training = TrainingMode.Differs(layer, options);
        int elements = 0;
        double worst = 0;
        foreach (bool mode in training ? new[] { false, true } : [false])
        {
            for (int k = 0; k < shapes.Count; k++)
            {
                // A batch of one has no batch statistics to differentiate: training mode starts at two samples.
                if (mode && shapes[k][0] < 2) continue;
                var input = ContractTensors.Random(options.Seed + 100 + k, shapes[k]);
                var decoy = ContractTensors.Random(options.Seed + 150 + k, shapes[k]);
                // Inference has been checked at every shape by now. A training pass that cannot be repeated leaves the
                // training Backward unjudged, which must not read as kept: it fails, saying how to make it checkable.
                if (mode && !Repeatable(layer, input))
                    return new RuleResult(Name, RuleStatus.Failed,
                        $"training mode could not be checked: two Forward(input, training: true) passes on the same input of shape {ContractTensors.ShapeText(shapes[k])} differ "
                        + string.Create(CultureInfo.InvariantCulture, $"even with the kit's random streams rewound, so its Backward cannot be compared with central differences (inference mode matches: {elements} derivatives, worst relative error {worst:E2}). ")
                        + "Make its randomness rewindable: implement IRandomStreamLayer and draw each training pass from a generator made from the layer's seed and RandomPosition "
                        + "(advancing RandomPosition once a pass), as the library's Dropout does, instead of from a Random kept across passes");
                var result = LayerGradientCheck.Check(layer, input, decoy, options.Seed + k, mode, options.GradientTolerance);
                if (!result.Passed(options.GradientTolerance))
                    return new RuleResult(Name, RuleStatus.Failed,
                        $"at input shape {ContractTensors.ShapeText(shapes[k])}{(mode ? ", training: true" : "")}\n{result.Explain(options.GradientTolerance)}");
                elements += result.ElementsChecked;
                worst = Math.Max(worst, result.MaxRelativeError);
            }
        }
        string checkedShapes = string.Join(", ", shapes.Select(ContractTensors.ShapeText));
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"input shapes {checkedShapes}{(training ? ", in inference and training mode" : "")}; {elements} derivatives, worst relative error {worst:E2}");
        return new RuleResult(Name, RuleStatus.Passed, detail);
    }

    // Two training passes with the layer's random streams rewound give the same output.
    private static bool Repeatable(ILayer<double> layer, Tensor<double> input)
    {
        var streams = RandomStreamPositions.Capture(layer);
        streams.Restore();
        var first = ContractTensors.Values(layer.Forward(input, true));
        streams.Restore();
        var second = ContractTensors.Values(layer.Forward(input, true));
        return ContractTensors.FirstDifference("output", [first.Length], second, first, 0, "", "") is null;
    }
}
