using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Testing.Contract;

/// <summary>A network holding the layer, saved with <see cref="ModelFile"/> and loaded back, computes the same outputs bit for bit.</summary>
/// <remarks>
/// ModelFile recreates only the library's own layer kinds today; a layer of another kind (a student's) is noted as not
/// checked rather than failed, until a public layer registry lets it register its kind.
/// </remarks>
internal static class SaveLoadRule
{
    public const string Name = "survives save and load";
    public const string CannotSave = "not checked: the layer's kind cannot be saved yet (ModelFile loads only the library's built-in kinds; a public layer registry arrives later)";

    public static RuleResult Check(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        var network = layer is Sequential<double> { InputShape: not null } whole ? whole : new Sequential<double>(sample, layer);
        var input = ContractTensors.Random(options.Seed + 900, ContractTensors.Batched(3, sample));
        var before = ContractTensors.Values(network.Forward(input, training: false));
        string path = Path.Combine(Path.GetTempPath(), $"neuralnets-contract-{Guid.NewGuid():N}.json");
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
            Sequential<double> loaded;
            try
            {
                loaded = ModelFile.Load<double>(path);
            }
            catch (InvalidDataException e) when (e.Message.Contains("unknown kind", StringComparison.Ordinal))
            {
                return new RuleResult(Name, RuleStatus.NotChecked, CannotSave);
            }
            // A layer of its own class that describes itself as a built-in kind comes back as the built-in class: that is not it surviving.
            if (!loaded.Layers.Select(l => l.GetType()).SequenceEqual(network.Layers.Select(l => l.GetType())))
                return new RuleResult(Name, RuleStatus.NotChecked, CannotSave);
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
