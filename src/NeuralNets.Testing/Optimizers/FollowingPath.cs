namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// The rule written out in double, stepped from wherever the optimizer under test stands, for an optimizer in lower
/// precision: its rounding then cannot build up along the path (Rosenbrock's valley would amplify it), and each step is judged
/// on its own. The library's double path runs beside it on <c>problem</c>'s parameters, so the written rule stays checked
/// against the library; f and ∇f at the optimizer's w come from the same problem's formulas.
/// </summary>
internal sealed class FollowingPath(ReferenceRule rule, OptimizerProblem problem) : IExpectedPath
{
    private readonly ReferencePath _reference = new(rule, problem);
    private readonly IRuleRun _written = rule.Start(problem.Values.Length);

    public bool ExposesLearningRate => _reference.ExposesLearningRate;

    public double LearningRate
    {
        get => _reference.LearningRate;
        set => _reference.LearningRate = _written.LearningRate = value;
    }

    public (RuleStep Row, double Loss) Next(double[] w)
    {
        _reference.Next(w);
        // Step returns the loss of its first call of evaluate: f where the rule first asks for ∇f (w − γv for Nesterov).
        double[]? first = null;
        var step = _written.Step(w, x =>
        {
            first ??= x;
            return problem.Gradient(x);
        });
        return (step, problem.Loss(first ?? w));
    }
}
