using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>Training mode gives the inference output unless the layer's kind, or a layer inside it, says it differs (Dropout, BatchNorm).</summary>
internal static class ModeRule
{
    public const string Name = "training differs from inference only where the layer says";

    public static RuleResult Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        string kind = layer.Describe().Kind;
        bool differs = TrainingMode.Differs(layer, options);
        if (differs)
            return new RuleResult(Name, RuleStatus.Passed, $"training mode may differ by design ({(options.TrainingDiffers is null ? $"kind {kind} or a layer inside it" : "as the options say")}); not compared");
        string? differ = ForwardRules.TwoPasses(layer, ContractTensors.Random(options.Seed + 800, ContractTensors.Batched(3, sample)), false, true, "training", "inference");
        return differ is null
            ? new RuleResult(Name, RuleStatus.Passed, "")
            : new RuleResult(Name, RuleStatus.Failed,
                $"Forward(input, training: true) differs from Forward(input, training: false) although the layer's kind ({kind}) does not say it should: {differ}; set LayerContractOptions.TrainingDiffers if it should");
    }
}
