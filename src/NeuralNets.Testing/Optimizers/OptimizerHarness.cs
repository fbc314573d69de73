using System.Globalization;
using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// Runs an optimizer (a student's <see cref="IOptimizer{T}"/>) beside the library's implementation of the same rule on
/// the quadratic, on Rosenbrock's function and on a problem of three parameters of different shapes, and finds the first
/// step where they part: in w, or in the loss that <see cref="IOptimizer{T}.Step"/> returns. Halfway through each run the
/// learning rate is halved on both, as a schedule would.
/// </summary>
public static class OptimizerHarness
{
    // How many rows before the parting the table keeps: enough to see the state build up.
    private const int RowsShown = 3;

    /// <summary>Compares the optimizer <paramref name="create"/> makes with <paramref name="rule"/>'s reference, step by step.</summary>
    /// <param name="rule">The rule and hyperparameters, e.g. <c>ReferenceRule.Momentum(learningRate: 1e-3, gamma: 0.9)</c>; give the optimizer the same.</param>
    /// <param name="create">Builds the optimizer under test over the parameters it is given.</param>
    /// <param name="steps">How many steps to take on each problem. Default 30.</param>
    /// <param name="tolerance">How far w may be from the reference, relative to max(1, |w|). Default 1e-9.</param>
    public static OptimizerComparison Compare(ReferenceRule rule, Func<IReadOnlyList<Parameter<double>>, IOptimizer<double>> create, int steps = 30, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(create);
        // The value in the message in the invariant culture (.NET's ThrowIf helpers write it in the current one).
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), string.Create(CultureInfo.InvariantCulture, $"steps must be positive, but was {steps}."));
        var outcomes = new List<ProblemComparison>();
        var referenceProblems = OptimizerProblem.All();
        var problems = OptimizerProblem.All();
        for (int k = 0; k < problems.Count; k++)
            outcomes.Add(Run(rule, referenceProblems[k], problems[k], create, steps, tolerance));
        return new OptimizerComparison(rule, outcomes);
    }

    private static ProblemComparison Run(ReferenceRule rule, OptimizerProblem referenceProblem, OptimizerProblem problem,
        Func<IReadOnlyList<Parameter<double>>, IOptimizer<double>> create, int steps, double tolerance)
    {
        var reference = rule.CreateReference(referenceProblem.Parameters);
        var written = rule.Start(referenceProblem.Values.Length);
        IOptimizer<double> optimizer;
        try
        {
            optimizer = create(problem.Parameters);
        }
        catch (Exception e)
        {
            return new ProblemComparison(problem.Name, 0, null, 0, $"creating the optimizer threw {e.GetType().Name}: {e.Message}", []);
        }
        // Halfway, η is halved as a schedule would: an optimizer that copied η once in its constructor keeps the old one.
        // (A reference rule of the teacher's own that does not expose η keeps it throughout: IRuleRun.LearningRate.)
        int change = ExposesLearningRate(written) ? steps / 2 + 1 : int.MaxValue;
        double before = reference.LearningRate, after = before / 2;
        var rows = new List<TraceRow>();
        for (int t = 1; t <= steps; t++)
        {
            if (t == change && steps > 1)
            {
                reference.LearningRate = written.LearningRate = after;
                try
                {
                    optimizer.LearningRate = after;
                }
                catch (Exception e)
                {
                    return new ProblemComparison(problem.Name, t, null, 0, string.Create(CultureInfo.InvariantCulture, $"setting LearningRate to {after:R} before step {t} threw {e.GetType().Name}: {e.Message}"), []);
                }
            }
            var step = written.Step(referenceProblem.Values, referenceProblem.Gradient);
            double expectedLoss = reference.Step(referenceProblem.Evaluate);
            CheckRecomputation(rule, t, step.Next, referenceProblem.Values);
            double loss;
            try
            {
                loss = optimizer.Step(problem.Evaluate);
            }
            catch (Exception e)
            {
                return new ProblemComparison(problem.Name, t, null, 0, string.Create(CultureInfo.InvariantCulture, $"step {t} threw {e.GetType().Name}: {e.Message}"), []);
            }
            var actual = problem.Values;
            rows.Add(new TraceRow(t, step with { Next = referenceProblem.Values }, actual));
            int worst = WorstElement(actual, referenceProblem.Values, tolerance);
            if (worst >= 0)
            {
                return new ProblemComparison(problem.Name, t, t, worst, null, rows.TakeLast(RowsShown).ToArray())
                {
                    ElementName = problem.ElementName(worst),
                    Note = t >= change && steps > 1
                        ? string.Create(CultureInfo.InvariantCulture, $"LearningRate was set from {before:R} to {after:R} before step {change}; does Step read it each time?")
                        : null,
                };
            }
            if (WorstElement([loss], [expectedLoss], tolerance) >= 0)
                return new ProblemComparison(problem.Name, t, null, 0, string.Create(CultureInfo.InvariantCulture,
                    $"step {t} returned {loss:R} where the reference returns {expectedLoss:R}: Step must return what its first call of evaluate returned (the loss before the step)"), []);
        }
        return new ProblemComparison(problem.Name, steps, null, 0, null, []);
    }

    // The tables show the state recomputed from the documented formula; if that ever drifts from the library's weights, the tables would mislead.
    // Whether the rule's written-out run takes a new η (IRuleRun.LearningRate's default says it does not).
    private static bool ExposesLearningRate(IRuleRun run)
    {
        try
        {
            _ = run.LearningRate;
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static void CheckRecomputation(ReferenceRule rule, int t, double[] written, double[] library)
    {
        if (WorstElement(written, library, 1e-12) >= 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{rule}: the kit's recomputation of the formula parts from the library's optimizer at step {t} ({Values(written)} vs {Values(library)}); the kit or the library's <remarks> is out of date."));
    }

    private static string Values(double[] values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The element where <paramref name="actual"/> is furthest beyond tolerance from <paramref name="expected"/>, or −1 when none is.</summary>
    private static int WorstElement(double[] actual, double[] expected, double tolerance)
    {
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (excess > tolerance && excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        return worst;
    }
}
