namespace NeuralNets.Testing.Contract;

/// <summary>The outcome of one rule of the <see cref="LayerContract"/>.</summary>
/// <param name="Rule">The rule's name, e.g. <c>"Backward adds into parameter gradients"</c> (see <see cref="LayerContract.Rules"/>).</param>
/// <param name="Status">Passed, failed or not checked.</param>
/// <param name="Detail">The values that show a failure, or a note; empty when there is nothing to add.</param>
public sealed record RuleResult(string Rule, RuleStatus Status, string Detail)
{
    /// <summary>One line (the detail may continue on indented lines): <c>FAILED  rule: detail</c>.</summary>
    public override string ToString()
    {
        string mark = Status switch { RuleStatus.Passed => "ok      ", RuleStatus.Failed => "FAILED  ", _ => "skipped " };
        return Detail.Length == 0 ? mark + Rule : $"{mark}{Rule}: {Detail}";
    }
}
