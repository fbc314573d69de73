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

    /// <summary>True when no rule failed or was blocked (rules not checked do not fail the contract).</summary>
    public bool Passed => Rules.All(r => r.Status is RuleStatus.Passed or RuleStatus.NotChecked);

    /// <summary>The rules the layer broke: the causes, to be fixed first.</summary>
    public IEnumerable<RuleResult> Failures => Rules.Where(r => r.Status == RuleStatus.Failed);

    /// <summary>The rules not judged because one of <see cref="Failures"/> failed (each names it in <see cref="RuleResult.BlockedBy"/>).</summary>
    public IEnumerable<RuleResult> Blocked => Rules.Where(r => r.Status == RuleStatus.Blocked);

    /// <summary>A heading and one line per rule: failures first, then the rules they blocked, then the rest.</summary>
    public override string ToString()
    {
        int failed = Failures.Count(), blocked = Blocked.Count();
        var text = new StringBuilder($"{Layer} with samples of shape {Gradients.GradientPattern.ShapeText(SampleShape)}: ")
            .Append(failed == 0 && blocked == 0 ? "keeps the layer contract" : string.Create(CultureInfo.InvariantCulture, $"breaks {failed} of {Rules.Count} rules of the layer contract"));
        if (blocked > 0)
            text.Append(string.Create(CultureInfo.InvariantCulture, $" ({blocked} more not judged until {(failed == 1 ? "it passes" : "those pass")})"));
        foreach (var rule in Rules.OrderBy(r => r.Status switch { RuleStatus.Failed => 0, RuleStatus.Blocked => 1, _ => 2 }))
            text.AppendLine().Append("  ").Append(rule.ToString().Replace("\n", "\n          ", StringComparison.Ordinal));
        return text.ToString();
    }
}
