using System.Globalization;
using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// The library's implementation of the rule on the problem in double, with the rule written out beside it for the tables:
/// the path a double optimizer must follow to 1e-9. The written rule is checked against the library at every step.
/// </summary>
internal sealed class ReferencePath : IExpectedPath
{
    private readonly ReferenceRule _rule;
    private readonly OptimizerProblem _problem;
    private readonly IOptimizer<double> _library;
    private readonly IRuleRun _written;
    private int _t;

    public ReferencePath(ReferenceRule rule, OptimizerProblem problem)
    {
        (_rule, _problem) = (rule, problem);
        _library = rule.CreateReference(problem.Parameters);
        _written = rule.Start(problem.Values.Length);
    }

    public bool ExposesLearningRate
    {
        get
        {
            try
            {
                _ = _written.LearningRate;
                return true;
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }
    }

    public double LearningRate
    {
        get => _library.LearningRate;
        set => _library.LearningRate = _written.LearningRate = value;
    }

    /// <summary>Steps the library and the written rule from the reference's own w, whatever <paramref name="w"/> is.</summary>
    public (RuleStep Row, double Loss) Next(double[] w)
    {
        _t++;
        var step = _written.Step(_problem.Values, _problem.Gradient);
        double loss = _library.Step(_problem.Evaluate);
        CheckRecomputation(step.Next, _problem.Values);
        return (step with { Next = _problem.Values }, loss);
    }

    // The tables show the state recomputed from the documented formula; if that ever drifts from the library's weights, the tables would mislead.
    // Once either leaves double's range the two orders of the same arithmetic may give ∞ or NaN differently: the rule has
    // diverged there, which the harness reports, and there is nothing left to check.
    private void CheckRecomputation(double[] written, double[] library)
    {
        if (written.All(double.IsFinite) && library.All(double.IsFinite) && OptimizerHarness.WorstElement(written, library, 1e-12) >= 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{_rule}: the kit's recomputation of the formula parts from the library's optimizer at step {_t} ({Values(written)} vs {Values(library)}); the kit or the library's <remarks> is out of date."));
    }

    private static string Values(double[] values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
