using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Optimizers;

/// <summary>How an optimizer fared beside its reference on one problem.</summary>
/// <param name="Problem">The problem's name.</param>
/// <param name="Steps">How many steps were taken (up to and including the one where they parted).</param>
/// <param name="PartedAt">The first step after which the two differ; null when they agree throughout.</param>
/// <param name="Element">The element of w where they differ most at that step.</param>
/// <param name="Failure">Why the run stopped early (the optimizer threw), or null.</param>
/// <param name="Rows">The last steps before and at the parting, for the table.</param>
public sealed record ProblemComparison(string Problem, int Steps, int? PartedAt, int Element, string? Failure, IReadOnlyList<TraceRow> Rows)
{
    /// <summary>The element where they differ most in its parameter's name and coordinates (e.g. <c>bias[2]</c>); null reads as <c>w[Element]</c>.</summary>
    public string? ElementName { get; init; }

    /// <summary>What the harness changed before the parting that may explain it (the learning rate), or null.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The step at which the rule itself diverged (its w or loss left the range of the optimizer's element type) and the
    /// comparison stopped, that step and those after it not compared; null when it did not.
    /// </summary>
    public int? DivergedAt { get; init; }

    /// <summary>Where and with which η the rule diverged, for the report; null when it did not.</summary>
    public string? Divergence { get; init; }

    /// <summary>True when the optimizer agreed with the reference at every step.</summary>
    public bool Agrees => PartedAt is null && Failure is null;

    /// <summary>Writes the outcome and, when they part, the table of the last steps.</summary>
    public string Describe(ReferenceRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (Failure is not null) return $"{Problem}: {Failure}";
        if (Agrees)
        {
            string agrees = string.Create(CultureInfo.InvariantCulture, $"{Problem}: agrees with the reference for {Steps} steps");
            return Divergence is null ? agrees : $"{agrees}; {Divergence}";
        }
        var last = Rows[^1];
        string flat = string.Create(CultureInfo.InvariantCulture, $"w[{Element}]");
        var text = new StringBuilder(string.Create(KitText.Numbers,
            $"{Problem}: parts from the reference at step {PartedAt}, {ElementName ?? flat} = {last.Actual[Element]:G12} where the rule gives {last.Rule.Next[Element]:G12}"));
        // The table numbers w's elements across all parameters; say which column holds the named element.
        if (ElementName is not null && ElementName != flat) text.Append(" (").Append(flat).Append(" in the table: w is every parameter's elements in order)");
        if (Note is not null) text.Append("; ").Append(Note);
        return text.AppendLine().Append(TraceTable.Format(rule, Rows, Element)).ToString().TrimEnd();
    }

    // The generated member list, with the counts written in the invariant culture.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture,
            $"Problem = {Problem}, Steps = {Steps}, PartedAt = {PartedAt}, Element = {Element}, Failure = {Failure}, Rows = {Rows}, ElementName = {ElementName}, Note = {Note}, DivergedAt = {DivergedAt}, Divergence = {Divergence}, Agrees = {Agrees}");
        return true;
    }
}
