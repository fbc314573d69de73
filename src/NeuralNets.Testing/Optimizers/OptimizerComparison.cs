using System.Text;

namespace NeuralNets.Testing.Optimizers;

/// <summary>An optimizer run beside the library's implementation of the same rule, problem by problem.</summary>
public sealed class OptimizerComparison
{
    /// <summary>Creates the comparison's record.</summary>
    public OptimizerComparison(ReferenceRule rule, IReadOnlyList<ProblemComparison> problems)
    {
        Rule = rule;
        Problems = problems.ToArray();
    }

    /// <summary>The rule the optimizer was compared with.</summary>
    public ReferenceRule Rule { get; }

    /// <summary>The outcome on each problem.</summary>
    public IReadOnlyList<ProblemComparison> Problems { get; }

    /// <summary>How the optimizer was judged when not in double, e.g. in float step by step from where it stands; null for double.</summary>
    public string? Precision { get; init; }

    /// <summary>True when the optimizer agreed with the reference on every problem.</summary>
    public bool Passed => Problems.All(p => p.Agrees);

    /// <summary>The rule, its formula, and each problem's outcome with its table where they part.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Rule}: {Rule.Formula}");
        if (Precision is not null) text.AppendLine().Append(Precision);
        foreach (var problem in Problems) text.AppendLine().Append(problem.Describe(Rule));
        return text.ToString();
    }
}
