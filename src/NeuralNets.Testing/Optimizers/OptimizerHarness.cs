using System.Globalization;
using System.Numerics;
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
        Validate(rule, create, steps);
        var outcomes = new List<ProblemComparison>();
        var referenceProblems = OptimizerProblem.All();
        var problems = OptimizerProblem.All();
        for (int k = 0; k < problems.Count; k++)
            outcomes.Add(Run(new ReferencePath(rule, referenceProblems[k]), problems[k], create, steps, tolerance, double.MaxValue));
        return new OptimizerComparison(rule, outcomes);
    }

    /// <summary>
    /// Compares an optimizer over float parameters with <paramref name="rule"/>, step by step, on float copies of the problems
    /// (their starts rounded to float, f and ∇f computed in double and rounded). Float rounding along a path would grow, most
    /// of all in Rosenbrock's valley, so each step is judged on its own: the rule, in double, steps from where the optimizer
    /// stands, with its state carried along the optimizer's own path, and w after the step must agree to
    /// <paramref name="tolerance"/>. The library's double implementation runs beside it, keeping the written rule checked.
    /// </summary>
    /// <param name="rule">The rule and hyperparameters; give the optimizer the same.</param>
    /// <param name="create">Builds the optimizer under test over the float parameters it is given.</param>
    /// <param name="steps">How many steps to take on each problem. Default 30.</param>
    /// <param name="tolerance">
    /// How far w may be from the rule's step, relative to max(1, |w|). Default 1e-5: float's spacing is 1.2e-7, and the library's
    /// float optimizers stay within 1e-6 of the double rule on every problem, while a slip moves w by a part of the step itself.
    /// </param>
    public static OptimizerComparison Compare(ReferenceRule rule, Func<IReadOnlyList<Parameter<float>>, IOptimizer<float>> create, int steps = 30, double tolerance = 1e-5)
    {
        Validate(rule, create, steps);
        var outcomes = new List<ProblemComparison>();
        foreach (var problem in OptimizerProblem.All())
            outcomes.Add(Run(new FollowingPath(rule, problem), new SingleProblem(problem), create, steps, tolerance, float.MaxValue));
        return new OptimizerComparison(rule, outcomes)
        {
            Precision = string.Create(KitText.Numbers, $"in float: each step taken by the rule in double from where the optimizer stands, to {tolerance} relative to max(1, |w|)"),
        };
    }

    private static void Validate(ReferenceRule rule, object create, int steps)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(create);
        // The value in the message in the invariant culture (.NET's ThrowIf helpers write it in the current one).
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), string.Create(CultureInfo.InvariantCulture, $"steps must be positive, but was {steps}."));
    }

    // range: the largest finite magnitude of T; a rule whose w or loss goes beyond it has diverged for an optimizer in T.
    private static ProblemComparison Run<T>(IExpectedPath expected, ISubjectProblem<T> problem,
        Func<IReadOnlyList<Parameter<T>>, IOptimizer<T>> create, int steps, double tolerance, double range) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IOptimizer<T> optimizer;
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
        int change = expected.ExposesLearningRate ? steps / 2 + 1 : int.MaxValue;
        double before = expected.LearningRate, after = before / 2;
        var rows = new List<TraceRow>();
        for (int t = 1; t <= steps; t++)
        {
            if (t == change && steps > 1)
            {
                expected.LearningRate = after;
                try
                {
                    optimizer.LearningRate = after;
                }
                catch (Exception e)
                {
                    return new ProblemComparison(problem.Name, t, null, 0, string.Create(CultureInfo.InvariantCulture, $"setting LearningRate to {after:R} before step {t} threw {e.GetType().Name}: {e.Message}"), []);
                }
            }
            var (step, expectedLoss) = expected.Next(problem.Values);
            // The rule itself diverges here (Rosenbrock at a large η): a correct optimizer diverges with it, and what either
            // gives from here on (∞, NaN, or ∞ where the rule still has a number beyond T's range) says nothing about the optimizer.
            if (Diverges(expectedLoss, step.Next, range))
            {
                return new ProblemComparison(problem.Name, t - 1, null, 0, null, rows.TakeLast(RowsShown).ToArray())
                {
                    DivergedAt = t,
                    Divergence = string.Create(CultureInfo.InvariantCulture,
                        $"the rule diverges on {problem.Name} at step {t} with η = {expected.LearningRate:R} (its {(Outside(expectedLoss, range) ? "loss" : "w")} leaves {(range == double.MaxValue ? "double" : "float")}'s range); this step and those after it are not compared"),
                };
            }
            double loss;
            try
            {
                loss = double.CreateChecked(optimizer.Step(problem.Evaluate));
            }
            catch (Exception e)
            {
                return new ProblemComparison(problem.Name, t, null, 0, string.Create(CultureInfo.InvariantCulture, $"step {t} threw {e.GetType().Name}: {e.Message}"), []);
            }
            var actual = problem.Values;
            rows.Add(new TraceRow(t, step, actual));
            int worst = WorstElement(actual, step.Next, tolerance);
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

    private static bool Diverges(double loss, double[] next, double range) => Outside(loss, range) || next.Any(x => Outside(x, range));

    private static bool Outside(double value, double range) => !(Math.Abs(value) <= range);

    /// <summary>
    /// The element where <paramref name="actual"/> is furthest beyond tolerance from <paramref name="expected"/>, or −1 when none is.
    /// Equal values agree, the same infinity and NaN with NaN included.
    /// </summary>
    internal static int WorstElement(double[] actual, double[] expected, double tolerance)
    {
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i].Equals(expected[i])) continue;
            double excess = Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (excess > tolerance && excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        return worst;
    }
}
