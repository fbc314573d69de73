namespace NeuralNets.Testing.Contract;

/// <summary>The outcome of one rule of the <see cref="LayerContract"/>.</summary>
/// <param name="Rule">The rule's name, e.g. <c>"Backward adds into parameter gradients"</c> (see <see cref="LayerContract.Rules"/>).</param>
/// <param name="Status">Passed, failed, not checked, or blocked by an earlier failure.</param>
/// <param name="Detail">The values that show a failure, or a note; empty when there is nothing to add.</param>
public sealed record RuleResult(string Rule, RuleStatus Status, string Detail)
{
    /// <summary>For a <see cref="RuleStatus.Blocked"/> rule, the failed rule to fix first; null otherwise.</summary>
    public string? BlockedBy { get; init; }

    /// <summary>One line (the detail may continue on indented lines): <c>FAILED  rule: detail</c>.</summary>
    public override string ToString()
    {
        string mark = Status switch { RuleStatus.Passed => "ok      ", RuleStatus.Failed => "FAILED  ", RuleStatus.Blocked => "blocked ", _ => "skipped " };
        return Detail.Length == 0 ? mark + Rule : $"{mark}{Rule}: {Detail}";
    }
}
