using NeuralNets;
using NeuralNets.Optimizers;

/// <summary>
/// The lecture's narrow ravine: f(x, y) = ½·(a·x² + b·y²) with b ≫ a. Plain SGD bounces across the steep y
/// direction while it creeps along x; momentum damps the bounce and keeps the speed along the floor.
/// </summary>
internal static class Ravine
{
    public const double A = 0.2, B = 10;
    public static readonly (double X, double Y) Start = (-9, 1.5);

    public static double Value(double x, double y) => 0.5 * (A * x * x + B * y * y);

    /// <summary>The points an optimizer visits in <paramref name="steps"/> steps from <see cref="Start"/>.</summary>
    public static (double[] X, double[] Y) Path(Func<Parameter<double>[], IOptimizer<double>> create, int steps)
    {
        var w = new Parameter<double>("xy", 2);
        w.SetValue([Start.X, Start.Y]);
        var optimizer = create([w]);
        Func<double> evaluate = () =>
        {
            double x = w.ValueSpan[0], y = w.ValueSpan[1];
            w.GradientSpan[0] = A * x;
            w.GradientSpan[1] = B * y;
            return Value(x, y);
        };
        var xs = new List<double> { Start.X };
        var ys = new List<double> { Start.Y };
        for (int i = 0; i < steps; i++)
        {
            optimizer.Step(evaluate);
            xs.Add(w.ValueSpan[0]);
            ys.Add(w.ValueSpan[1]);
        }
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>The level set f = <paramref name="level"/>, an ellipse, as a closed polyline.</summary>
    public static (double[] X, double[] Y) Contour(double level, int points = 120)
    {
        var xs = new double[points + 1];
        var ys = new double[points + 1];
        double rx = Math.Sqrt(2 * level / A), ry = Math.Sqrt(2 * level / B);
        for (int i = 0; i <= points; i++)
        {
            double t = 2 * Math.PI * i / points;
            xs[i] = rx * Math.Cos(t);
            ys[i] = ry * Math.Sin(t);
        }
        return (xs, ys);
    }
}
