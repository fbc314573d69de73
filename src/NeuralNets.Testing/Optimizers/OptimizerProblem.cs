using System.Globalization;

namespace NeuralNets.Testing.Optimizers;

/// <summary>
/// A small function to minimise, with its exact gradient: what an optimizer is run on beside its reference. Each call of a
/// factory gives fresh parameters at the problem's starting point. w is every parameter's elements in order.
/// </summary>
public sealed class OptimizerProblem : ISubjectProblem<double>
{
    private readonly Func<double[], double> _loss;
    private readonly Func<double[], double[]> _gradient;
    private readonly Parameter<double>[] _parameters;

    private OptimizerProblem(string name, Parameter<double>[] parameters, double[] start, Func<double[], double> loss, Func<double[], double[]> gradient)
    {
        Name = name;
        (_loss, _gradient, _parameters) = (loss, gradient, parameters);
        Write(start, p => p.ValueSpan);
        Evaluate = () =>
        {
            var w = Values;
            foreach (var p in _parameters) p.ZeroGradient();
            Write(_gradient(w), p => p.GradientSpan);
            return _loss(w);
        };
    }

    private delegate Span<double> SpanOf(Parameter<double> parameter);

    /// <summary>f(w) = ½ Σ aᵢwᵢ² + Σ cᵢwᵢ with a = (1, 10, 100), c = (−1, 0.5, 2), from w = (1, −1, 0.5): condition number 100.</summary>
    public static OptimizerProblem Quadratic()
    {
        double[] a = [1, 10, 100], c = [-1, 0.5, 2];
        return new OptimizerProblem("quadratic", [new Parameter<double>("w", 3)], [1, -1, 0.5],
            w => w.Select((x, i) => 0.5 * a[i] * x * x + c[i] * x).Sum(),
            w => w.Select((x, i) => a[i] * x + c[i]).ToArray());
    }

    /// <summary>Rosenbrock's f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), from (−1.2, 1).</summary>
    public static OptimizerProblem Rosenbrock() => new("Rosenbrock", [new Parameter<double>("w", 2)], [-1.2, 1],
        w => (1 - w[0]) * (1 - w[0]) + 100 * (w[1] - w[0] * w[0]) * (w[1] - w[0] * w[0]),
        w => [-2 * (1 - w[0]) - 400 * w[0] * (w[1] - w[0] * w[0]), 200 * (w[1] - w[0] * w[0])]);

    /// <summary>
    /// Three parameters of different shapes, weight [2, 3], bias [3] and scale [1], each element with its own curvature and
    /// all coupled: f(w) = ½ Σ aᵢwᵢ² + Σ cᵢwᵢ + 0.05·(Σ wᵢ)² with aᵢ = 1 + 3i. One parameter cannot show a state shared
    /// between parameters, a step count advanced once per parameter, or a parameter left out; this problem does.
    /// </summary>
    public static OptimizerProblem SeveralParameters()
    {
        double[] start = [0.8, -0.6, 0.3, -0.2, 0.5, -0.9, 0.4, 0.7, -0.3, 1.1];
        double[] a = start.Select((_, i) => 1.0 + 3 * i).ToArray();
        double[] c = start.Select((_, i) => i % 2 == 0 ? 0.5 + 0.1 * i : -1 + 0.05 * i).ToArray();
        return new OptimizerProblem("several parameters",
            [new Parameter<double>("weight", 2, 3), new Parameter<double>("bias", 3), new Parameter<double>("scale", 1)], start,
            w => w.Select((x, i) => 0.5 * a[i] * x * x + c[i] * x).Sum() + 0.05 * w.Sum() * w.Sum(),
            w =>
            {
                double sum = w.Sum();
                return w.Select((x, i) => a[i] * x + c[i] + 0.1 * sum).ToArray();
            });
    }

    /// <summary>
    /// The quadratic with its loss scaled by 1e-8, f(w) = 1e-8·(½ Σ aᵢwᵢ² + Σ cᵢwᵢ), from the same start: gradients near
    /// 1e-8, the size of the ε that Adam, RMSprop and their kin add, so where ε sits (inside or outside a square root) moves
    /// the step by a large part of itself. On the other problems, at the default ε, the two places differ by less than any
    /// tolerance could tell from rounding.
    /// </summary>
    public static OptimizerProblem TinyGradients()
    {
        const double scale = 1e-8;
        double[] a = [1, 10, 100], c = [-1, 0.5, 2];
        return new OptimizerProblem("tiny gradients", [new Parameter<double>("w", 3)], [1, -1, 0.5],
            w => scale * w.Select((x, i) => 0.5 * a[i] * x * x + c[i] * x).Sum(),
            w => w.Select((x, i) => scale * (a[i] * x + c[i])).ToArray());
    }

    /// <summary>
    /// Fresh instances of every problem the harness runs: the quadratic, Rosenbrock's function, <see cref="SeveralParameters"/>
    /// and <see cref="TinyGradients"/>.
    /// </summary>
    public static IReadOnlyList<OptimizerProblem> All() => [Quadratic(), Rosenbrock(), SeveralParameters(), TinyGradients()];

    /// <summary>The problem's name.</summary>
    public string Name { get; }

    /// <summary>The first parameter: the only one, w, of the quadratic and Rosenbrock's function.</summary>
    public Parameter<double> Parameter => _parameters[0];

    /// <summary>The parameters, to construct an optimizer with.</summary>
    public IReadOnlyList<Parameter<double>> Parameters => _parameters;

    /// <summary>The optimizer's closure: zeroes the gradients, writes ∇f at the current w and returns f(w).</summary>
    public Func<double> Evaluate { get; }

    /// <summary>A copy of the current w: every parameter's elements in order.</summary>
    public double[] Values => _parameters.SelectMany(p => p.ValueSpan.ToArray()).ToArray();

    /// <summary>∇f at <paramref name="w"/>.</summary>
    public double[] Gradient(double[] w) => _gradient(w);

    /// <summary>f at <paramref name="w"/>.</summary>
    public double Loss(double[] w) => _loss(w);

    /// <summary>Element <paramref name="index"/> of w in its own parameter's name and coordinates, e.g. <c>weight[1, 2]</c>.</summary>
    public string ElementName(int index)
    {
        foreach (var p in _parameters)
        {
            if (index < p.Length)
            {
                var coordinates = new int[p.Shape.Count];
                for (int d = p.Shape.Count - 1, rest = index; d >= 0; rest /= p.Shape[d], d--) coordinates[d] = rest % p.Shape[d];
                return string.Create(CultureInfo.InvariantCulture, $"{p.Name}[{string.Join(", ", coordinates.Select(c => c.ToString(CultureInfo.InvariantCulture)))}]");
            }
            index -= p.Length;
        }
        throw new ArgumentOutOfRangeException(nameof(index), string.Create(CultureInfo.InvariantCulture, $"index must be less than {Values.Length}, but was {index}."));
    }

    private void Write(double[] flat, SpanOf span)
    {
        int offset = 0;
        foreach (var p in _parameters)
        {
            flat.AsSpan(offset, p.Length).CopyTo(span(p));
            offset += p.Length;
        }
    }
}
