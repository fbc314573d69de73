using System.Numerics;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// f(x) = Σᵢ₌₀ⁿ⁻² (1 − xᵢ)² + 100·(xᵢ₊₁ − xᵢ²)², minimum 0 at (1, …, 1); by default the classic two-dimensional
/// (1 − x)² + 100·(y − x²)² started from (−1.2, 1).
/// </summary>
internal sealed class Rosenbrock<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Rosenbrock() : this(-1.2, 1)
    {
    }

    /// <summary>Starts from <paramref name="start"/>, at least two coordinates.</summary>
    public Rosenbrock(params double[] start)
    {
        P = new Parameter<T>("xy", start.Length);
        P.SetValue(start.Select(T.CreateChecked).ToArray());
        Evaluate = () =>
        {
            Evaluations++;
            var x = P.ValueSpan.ToArray().Select(double.CreateChecked).ToArray();
            // Term by term, each adding to the gradients of the two coordinates it holds (the order
            // tests/PyTorchReference/optimizers.py computes it in).
            var g = new double[x.Length];
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double r = x[i + 1] - x[i] * x[i];
                g[i] += -2 * (1 - x[i]) - 400 * x[i] * r;
                g[i + 1] += 200 * r;
            }
            for (int i = 0; i < x.Length; i++) P.GradientSpan[i] = T.CreateChecked(g[i]);
            return T.CreateChecked(LossAt(x));
        };
    }

    public Parameter<T> P { get; }

    public Func<T> Evaluate { get; }

    public int Evaluations { get; private set; }

    public double X => double.CreateChecked(P.ValueSpan[0]);

    public double Y => double.CreateChecked(P.ValueSpan[1]);

    public double Loss => LossAt(P.ValueSpan.ToArray().Select(double.CreateChecked).ToArray());

    private static double LossAt(double[] x)
    {
        double loss = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double r = x[i + 1] - x[i] * x[i];
            loss += (1 - x[i]) * (1 - x[i]) + 100 * r * r;
        }
        return loss;
    }
}
