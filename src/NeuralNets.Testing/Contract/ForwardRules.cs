using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>Forward leaves its input alone, treats each sample of a batch on its own, and gives the same inference twice.</summary>
internal static class ForwardRules
{
    public const string LeavesInput = "Forward leaves its input alone";
    public const string SampleAlone = "a sample alone equals its row in a batch";
    public const string Deterministic = "inference is deterministic";

    // A batch may take another summation order than a single sample (blocked products), so equal to rounding.
    private const double RowTolerance = 1e-12;

    public static RuleResult LeavesItsInput(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var shape = ContractTensors.Batched(3, sample);
        var input = ContractTensors.Random(options.Seed + 300, shape);
        var before = ContractTensors.Values(input);
        foreach (bool training in new[] { false, true })
        {
            layer.Forward(input, training);
            string? changed = ContractTensors.FirstDifference("input", shape, ContractTensors.Values(input), before, 0, "after Forward", "before");
            if (changed is not null)
                return new RuleResult(LeavesInput, RuleStatus.Failed, $"Forward(input, training: {(training ? "true" : "false")}) wrote into its input: {changed}");
        }
        return new RuleResult(LeavesInput, RuleStatus.Passed, "");
    }

    public static RuleResult SampleAloneEqualsRow(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        const int batch = 4;
        var input = ContractTensors.Values(ContractTensors.Random(options.Seed + 400, ContractTensors.Batched(batch, sample)));
        var output = layer.Forward(ContractTensors.Create(input, ContractTensors.Batched(batch, sample)), training: false);
        var outputShape = ContractTensors.Shape(output);
        var whole = ContractTensors.Values(output);
        int inputRow = input.Length / batch, outputRow = whole.Length / batch;
        for (int b = 0; b < batch; b++)
        {
            var alone = layer.Forward(ContractTensors.Create(input[(b * inputRow)..((b + 1) * inputRow)], ContractTensors.Batched(1, sample)), training: false);
            var row = ContractTensors.Values(alone);
            string? differs = ContractTensors.FirstDifference("output", outputShape, row, whole.AsSpan(b * outputRow, outputRow), RowTolerance, "alone", "in the batch");
            if (differs is not null)
                return new RuleResult(SampleAlone, RuleStatus.Failed,
                    string.Create(CultureInfo.InvariantCulture, $"sample {b} of a batch of {batch} gives another output alone (the place is its row's, sample index 0): {differs}; does Forward mix samples, e.g. normalise over the whole batch?"));
        }
        return new RuleResult(SampleAlone, RuleStatus.Passed, "");
    }

    public static RuleResult InferenceIsDeterministic(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        string? differs = TwoPasses(layer, ContractTensors.Random(options.Seed + 500, ContractTensors.Batched(3, sample)), false, false, "second call", "first call");
        return differs is null
            ? new RuleResult(Deterministic, RuleStatus.Passed, "")
            : new RuleResult(Deterministic, RuleStatus.Failed, $"two calls of Forward(input, training: false) on the same input differ: {differs}");
    }

    /// <summary>Runs Forward on one input in two modes (inference first, then the second) and gives their first difference, or null.</summary>
    public static string? TwoPasses(ILayer<double> layer, System.Numerics.Tensors.Tensor<double> input, bool firstTraining, bool secondTraining, string secondLabel, string firstLabel)
    {
        var first = layer.Forward(input, firstTraining);
        var firstValues = ContractTensors.Values(first);
        var second = ContractTensors.Values(layer.Forward(input, secondTraining));
        return ContractTensors.FirstDifference("output", ContractTensors.Shape(first), second, firstValues, 0, secondLabel, firstLabel);
    }
}
