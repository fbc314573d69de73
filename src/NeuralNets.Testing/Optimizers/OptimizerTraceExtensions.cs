using System.Globalization;
using NeuralNets.Optimizers;

namespace NeuralNets.Testing.Optimizers;

/// <summary><c>optimizer.Trace(steps, problem, rule)</c>: an optimizer's steps in the lecture's symbols, for checking by hand.</summary>
public static class OptimizerTraceExtensions
{
    /// <summary>
    /// Takes <paramref name="steps"/> steps of <paramref name="optimizer"/> on <paramref name="problem"/> and writes each as a row
    /// of the table the harness shows: w, the gradient and the rule's state, where the formula moves w and where the optimizer did.
    /// The state is the formula's, recomputed along the optimizer's own path (its private state cannot be read).
    /// </summary>
    /// <param name="optimizer">An optimizer created over <paramref name="problem"/>'s <see cref="OptimizerProblem.Parameters"/>.</param>
    /// <param name="steps">How many steps to take.</param>
    /// <param name="problem">The problem it runs on, e.g. <see cref="OptimizerProblem.Quadratic"/>.</param>
    /// <param name="rule">The rule it implements, whose symbols head the columns.</param>
    /// <param name="element">Which element of w to show; null for the one with the steepest gradient at the start (an element
    /// that starts at its minimum, as the quadratic's first does, would show a column of zeros).</param>
    /// <returns>The table; inside an xunit test it is also written to the test's output.</returns>
    public static string Trace(this IOptimizer<double> optimizer, int steps, OptimizerProblem problem, ReferenceRule rule, int? element = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(rule);
        // The value in the message in the invariant culture (.NET's ThrowIf helpers write it in the current one).
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), string.Create(CultureInfo.InvariantCulture, $"steps must be positive, but was {steps}."));
        if (!optimizer.Parameters.SequenceEqual(problem.Parameters, ReferenceEqualityComparer.Instance))
            throw new ArgumentException($"The optimizer must be created over the problem's parameters (problem.Parameters) to be traced on {problem.Name}.", nameof(optimizer));
        int shown = element ?? Steepest(problem.Gradient(problem.Values));
        int length = problem.Values.Length;
        if (shown < 0 || shown >= length)
            throw new ArgumentOutOfRangeException(nameof(element), string.Create(CultureInfo.InvariantCulture, $"element must be less than {length}, but was {shown}."));
        var run = rule.Start(length);
        var rows = new List<TraceRow>();
        for (int t = 1; t <= steps; t++)
        {
            var step = run.Step(problem.Values, problem.Gradient);
            optimizer.Step(problem.Evaluate);
            rows.Add(new TraceRow(t, step, problem.Values));
        }
        string table = $"{rule}: {rule.Formula}, on {problem.Name}{Environment.NewLine}{TraceTable.Format(rule, rows, shown, "this: w")}";
        Assertions.KitAssertion.Write(table);
        return table;
    }

    private static int Steepest(IReadOnlyList<double> gradient)
    {
        int steepest = 0;
        for (int i = 1; i < gradient.Count; i++)
            if (Math.Abs(gradient[i]) > Math.Abs(gradient[steepest])) steepest = i;
        return steepest;
    }
}
