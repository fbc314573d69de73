using System.Globalization;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Testing.Contract;

/// <summary>A network holding the layer, saved with <see cref="ModelFile"/> and loaded back, computes the same outputs bit for bit.</summary>
/// <remarks>
/// A layer whose kind no <see cref="LayerKind"/> is registered for (a student's, before registering it) is noted as not
/// checked rather than failed. A registered kind is checked in full: one that rebuilds another class or drops a setting
/// fails with the reason <see cref="ModelFile.Save{T}"/> gives.
/// </remarks>
internal static class SaveLoadRule
{
    public const string Name = "survives save and load";
    public const string CannotSave = "not checked: the layer's kind is not registered; register a LayerKind for it with LayerRegistry.Register to have saving and loading checked";

    public static RuleResult Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var network = layer is Sequential<double> { InputShape: not null } whole ? whole : new Sequential<double>(sample, layer);
        var input = ContractTensors.Random(options.Seed + 900, ContractTensors.Batched(3, sample));
        var before = ContractTensors.Values(network.Forward(input, training: false));
        string path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"neuralnets-contract-{Guid.NewGuid():N}.json"));
        try
        {
            try
            {
                ModelFile.Save(network, path);
            }
            catch (ArgumentException e) when (e.Message.Contains("unknown kind", StringComparison.Ordinal))
            {
                // Save refuses, before writing, a network whose kinds Load could not rebuild.
                return new RuleResult(Name, RuleStatus.NotChecked, CannotSave);
            }
            catch (ArgumentException e)
            {
                return new RuleResult(Name, RuleStatus.Failed, $"the network cannot be saved: {e.Message}");
            }
            var loaded = ModelFile.Load<double>(path);
            var after = ContractTensors.Values(loaded.Forward(input, training: false));
            string? differs = ContractTensors.FirstDifference("output", [.. ContractTensors.Batched(3, network.OutputShape(sample))], after, before, 0, "after loading", "before saving");
            return differs is null
                ? new RuleResult(Name, RuleStatus.Passed, "")
                : new RuleResult(Name, RuleStatus.Failed, $"the loaded layer computes another output: {differs}; does Describe() name every hyperparameter, and Parameters every weight?");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
