using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>Training mode gives the inference output unless the layer's kind says it differs (Dropout, BatchNorm).</summary>
internal static class ModeRule
{
    public const string Name = "training differs from inference only where the layer says";

    private static readonly string[] KindsThatDiffer = ["Dropout", "BatchNorm", "BatchNorm1D", "BatchNorm2D"];

    public static RuleResult Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        string kind = layer.Describe().Kind;
        bool differs = options.TrainingDiffers ?? KindsThatDiffer.Contains(kind, StringComparer.Ordinal);
        if (differs)
            return new RuleResult(Name, RuleStatus.Passed, $"training mode may differ by design ({(options.TrainingDiffers is null ? $"kind {kind}" : "as the options say")}); not compared");
        string? differ = ForwardRules.TwoPasses(layer, ContractTensors.Random(options.Seed + 800, ContractTensors.Batched(3, sample)), false, true, "training", "inference");
        return differ is null
            ? new RuleResult(Name, RuleStatus.Passed, "")
            : new RuleResult(Name, RuleStatus.Failed,
                $"Forward(input, training: true) differs from Forward(input, training: false) although the layer's kind ({kind}) does not say it should: {differ}; set LayerContractOptions.TrainingDiffers if it should");
    }
}
