using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Contract;

/// <summary>Every rule of the <see cref="LayerContract"/> as one layer kept or broke it.</summary>
public sealed class LayerContractReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="layer">How the layer prints itself.</param>
    /// <param name="sampleShape">The per-sample input shape it was checked with.</param>
    /// <param name="rules">Each rule's outcome, in the order run.</param>
    public LayerContractReport(string layer, IReadOnlyList<int> sampleShape, IReadOnlyList<RuleResult> rules)
    {
        Layer = layer;
        SampleShape = sampleShape.ToArray();
        Rules = rules.ToArray();
    }

    /// <summary>How the layer prints itself.</summary>
    public string Layer { get; }

    /// <summary>The per-sample input shape it was checked with.</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>Each rule's outcome, in the order run.</summary>
    public IReadOnlyList<RuleResult> Rules { get; }

    /// <summary>True when no rule failed (rules not checked do not fail the contract).</summary>
    public bool Passed => Rules.All(r => r.Status != RuleStatus.Failed);

    /// <summary>The rules the layer broke.</summary>
    public IEnumerable<RuleResult> Failures => Rules.Where(r => r.Status == RuleStatus.Failed);

    /// <summary>A heading and one line per rule, failures first.</summary>
    public override string ToString()
    {
        int failed = Failures.Count();
        var text = new StringBuilder($"{Layer} with samples of shape {Gradients.GradientPattern.ShapeText(SampleShape)}: ")
            .Append(failed == 0 ? "keeps the layer contract" : string.Create(CultureInfo.InvariantCulture, $"breaks {failed} of {Rules.Count} rules of the layer contract"));
        foreach (var rule in Rules.OrderBy(r => r.Status == RuleStatus.Failed ? 0 : 1))
            text.AppendLine().Append("  ").Append(rule.ToString().Replace("\n", "\n          ", StringComparison.Ordinal));
        return text.ToString();
    }
}
