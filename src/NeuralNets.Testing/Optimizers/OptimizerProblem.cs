namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// A small function of one parameter to minimise, with its exact gradient: what an optimizer is run on beside its
/// reference. Each call of a factory gives a fresh parameter at the problem's starting point.
/// </summary>
public sealed class OptimizerProblem
{
    private readonly Func<double[], double> _loss;
    private readonly Func<double[], double[]> _gradient;

    private OptimizerProblem(string name, double[] start, Func<double[], double> loss, Func<double[], double[]> gradient)
    {
        Name = name;
        (_loss, _gradient) = (loss, gradient);
        Parameter = new Parameter<double>("w", start.Length);
        Parameter.SetValue(start);
        Evaluate = () =>
        {
            var w = Values;
            Parameter.ZeroGradient();
            _gradient(w).CopyTo(Parameter.GradientSpan);
            return _loss(w);
        };
    }

    /// <summary>f(w) = ½ Σ aᵢwᵢ² + Σ cᵢwᵢ with a = (1, 10, 100), c = (−1, 0.5, 2), from w = (1, −1, 0.5): condition number 100.</summary>
    public static OptimizerProblem Quadratic()
    {
        double[] a = [1, 10, 100], c = [-1, 0.5, 2];
        return new OptimizerProblem("quadratic", [1, -1, 0.5],
            w => w.Select((x, i) => 0.5 * a[i] * x * x + c[i] * x).Sum(),
            w => w.Select((x, i) => a[i] * x + c[i]).ToArray());
    }

    /// <summary>Rosenbrock's f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), from (−1.2, 1).</summary>
    public static OptimizerProblem Rosenbrock() => new("Rosenbrock", [-1.2, 1],
        w => (1 - w[0]) * (1 - w[0]) + 100 * (w[1] - w[0] * w[0]) * (w[1] - w[0] * w[0]),
        w => [-2 * (1 - w[0]) - 400 * w[0] * (w[1] - w[0] * w[0]), 200 * (w[1] - w[0] * w[0])]);

    /// <summary>Fresh instances of every problem the harness runs: the quadratic and Rosenbrock's function.</summary>
    public static IReadOnlyList<OptimizerProblem> All() => [Quadratic(), Rosenbrock()];

    /// <summary>The problem's name.</summary>
    public string Name { get; }

    /// <summary>The one parameter, w.</summary>
    public Parameter<double> Parameter { get; }

    /// <summary>The parameter as a list, to construct an optimizer with.</summary>
    public IReadOnlyList<Parameter<double>> Parameters => [Parameter];

    /// <summary>The optimizer's closure: zeroes the gradient, writes ∇f at the current w and returns f(w).</summary>
    public Func<double> Evaluate { get; }

    /// <summary>A copy of the current w.</summary>
    public double[] Values => Parameter.ValueSpan.ToArray();

    /// <summary>∇f at <paramref name="w"/>.</summary>
    public double[] Gradient(double[] w) => _gradient(w);
}
