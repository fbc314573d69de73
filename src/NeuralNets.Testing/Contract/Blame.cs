namespace NeuralNets.Testing.Contract;

/// <summary>
/// Runs the contract's rules in order and decides which failures follow from an earlier one, so a report names the
/// cause once and marks the rest <see cref="RuleStatus.Blocked"/>: a student fixes the first thing, not ten.
/// </summary>
/// <remarks>
/// A failure follows from an earlier one when the rule stopped at the same exception (a Forward that throws stops
/// every rule), or when its check relies on a rule that failed or was itself blocked (a Forward that writes into its
/// input makes every check that passes one input twice see two inputs). A rule that passes despite either stays passed.
/// </remarks>
internal sealed class Blame
{
    // Why a rule's check relies on each prerequisite: the rules that list it as a need.
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        [ForwardRules.LeavesInput] = "passes one input to Forward more than once",
        [ForwardRules.Deterministic] = "compares outputs of Forward on the same input",
    };

    private readonly List<RuleResult> _results = [];
    private readonly List<(string Rule, Exception Thrown)> _thrown = [];

    /// <summary>Every outcome so far, in the order run.</summary>
    public IReadOnlyList<RuleResult> Results => _results;

    /// <summary>Runs <paramref name="check"/>, which judges <paramref name="rules"/>, and records their outcomes with the blame decided.</summary>
    /// <param name="rules">The names of the rules the check judges, in the order it reports them.</param>
    /// <param name="needs">Rules run earlier whose failure makes these unjudgeable; each must have a reason above.</param>
    /// <param name="check">The check; an exception from it stands for every rule in <paramref name="rules"/>.</param>
    public void Judge(string[] rules, string[] needs, Func<IEnumerable<RuleResult>> check)
    {
        IEnumerable<RuleResult> outcomes;
        try
        {
            outcomes = check().ToList();
        }
        catch (Exception e)
        {
            // Lazily, so each rule's Threw sees the outcome of the rule before it (the second of a pair is blocked by the first).
            outcomes = rules.Select(rule => Threw(rule, e));
        }
        foreach (var outcome in outcomes) _results.Add(outcome.Status == RuleStatus.Failed ? AfterNeeds(outcome, needs) : outcome);
    }

    private RuleResult Threw(string rule, Exception e)
    {
        foreach (var (earlier, thrown) in _thrown)
        {
            if (!ThrownException.SameThrow(thrown, e)) continue;
            string cause = Cause(earlier);
            return new RuleResult(rule, RuleStatus.Blocked,
                $"not judged until \"{cause}\" passes: it stopped at the same {ThrownException.TypeAndPlace(e)}") { BlockedBy = cause };
        }
        _thrown.Add((rule, e));
        // The student's own line that threw, not only the rule's name: where to look first.
        return new RuleResult(rule, RuleStatus.Failed, "threw " + ThrownException.Describe(e));
    }

    private RuleResult AfterNeeds(RuleResult failed, string[] needs)
    {
        foreach (string need in needs)
        {
            var prerequisite = _results.Single(r => r.Rule == need);
            if (prerequisite.Status is not (RuleStatus.Failed or RuleStatus.Blocked)) continue;
            string cause = Cause(need);
            string relies = cause == need
                ? $"this check {Reasons[need]}"
                : $"this check relies on \"{need}\" (it {Reasons[need]}), which could not be judged either";
            return failed with { Status = RuleStatus.Blocked, BlockedBy = cause, Detail = $"not judged until \"{cause}\" passes: {relies}\n(what it saw: {failed.Detail})" };
        }
        return failed;
    }

    // The failed rule at the root of a rule's blame: itself when it failed, its blocker when it was blocked.
    private string Cause(string rule) => _results.Single(r => r.Rule == rule).BlockedBy ?? rule;
}
