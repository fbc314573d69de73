namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// An <see cref="OptimizerProblem"/> over float parameters of the same names and shapes, for an optimizer in single
/// precision: its start is rounded to float, and Evaluate computes f and ∇f in double at the float w, then rounds them.
/// </summary>
internal sealed class SingleProblem : ISubjectProblem<float>
{
    private readonly OptimizerProblem _problem;
    private readonly Parameter<float>[] _parameters;

    public SingleProblem(OptimizerProblem problem)
    {
        _problem = problem;
        _parameters = [.. problem.Parameters.Select(p => new Parameter<float>(p.Name, p.Shape))];
        Write(problem.Values, value: true);
        Evaluate = () =>
        {
            var w = Values;
            Write(_problem.Gradient(w), value: false);
            return (float)_problem.Loss(w);
        };
    }

    public string Name => _problem.Name;

    public IReadOnlyList<Parameter<float>> Parameters => _parameters;

    public Func<float> Evaluate { get; }

    public double[] Values => [.. _parameters.SelectMany(p => p.ValueSpan.ToArray()).Select(v => (double)v)];

    public string ElementName(int index) => _problem.ElementName(index);

    // Each parameter takes its run of the flat array, rounded to float.
    private void Write(double[] flat, bool value)
    {
        int offset = 0;
        foreach (var p in _parameters)
        {
            var span = value ? p.ValueSpan : p.GradientSpan;
            for (int i = 0; i < span.Length; i++) span[i] = (float)flat[offset + i];
            offset += span.Length;
        }
    }
}
