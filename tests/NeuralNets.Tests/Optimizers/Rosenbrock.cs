using System.Numerics;

namespace NeuralNets.Tests.Optimizers;

/// <summary>f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), started from (−1.2, 1).</summary>
internal sealed class Rosenbrock<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Rosenbrock()
    {
        P = new Parameter<T>("xy", 2);
        P.SetValue([T.CreateChecked(-1.2), T.One]);
        Evaluate = () =>
        {
            Evaluations++;
            double x = double.CreateChecked(P.ValueSpan[0]), y = double.CreateChecked(P.ValueSpan[1]);
            P.GradientSpan[0] = T.CreateChecked(-2 * (1 - x) - 400 * x * (y - x * x));
            P.GradientSpan[1] = T.CreateChecked(200 * (y - x * x));
            return T.CreateChecked((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x));
        };
    }

    public Parameter<T> P { get; }

    public Func<T> Evaluate { get; }

    public int Evaluations { get; private set; }

    public double X => double.CreateChecked(P.ValueSpan[0]);

    public double Y => double.CreateChecked(P.ValueSpan[1]);

    public double Loss => (1 - X) * (1 - X) + 100 * (Y - X * X) * (Y - X * X);
}
