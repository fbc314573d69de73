using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class AdadeltaTests
{
    [Fact]
    public void Step_DefaultHyperparameters_MatchFormula()
    {
        const double rho = 0.9, eps = 1e-6, eta = 1.0;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adadelta<double>([q.W]);
        double[] w = (double[])q.Start.Clone(), Eg = new double[3], Edx = new double[3];
        for (int step = 0; step < 4; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                Eg[i] = rho * Eg[i] + (1 - rho) * g[i] * g[i];
                double dx = Math.Sqrt(Edx[i] + eps) / Math.Sqrt(Eg[i] + eps) * g[i];
                Edx[i] = rho * Edx[i] + (1 - rho) * dx * dx;
                w[i] -= eta * dx;
            }
            q.Values.ShouldBeCloseTo(w, 1e-13, $"after step {step + 1}");
        }
    }

    [Fact]
    public void Step_FirstStep_EqualsHandValue()
    {
        // E[g²] = 0.1·g²,  Δw = √ε/√(0.1·g² + ε)·g; for g = 52: √1e-6/√(270.4 + 1e-6)·52.
        var q = Quadratic<double>.IllConditioned();
        new Adadelta<double>([q.W]).Step(q.Evaluate);
        q.Values[2].Should().BeApproximately(0.5 - 1e-3 / Math.Sqrt(270.400001) * 52, 1e-15);
    }

    [Fact]
    public void Step_WeightDecayAndRate_MatchFormula()
    {
        const double rho = 0.8, eps = 1e-4, eta = 0.5, lambda = 0.05;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adadelta<double>([q.W], eta, rho, eps, lambda);
        double[] w = (double[])q.Start.Clone(), Eg = new double[3], Edx = new double[3];
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w).Select((gi, i) => gi + lambda * w[i]).ToArray();
            for (int i = 0; i < 3; i++)
            {
                Eg[i] = rho * Eg[i] + (1 - rho) * g[i] * g[i];
                double dx = Math.Sqrt(Edx[i] + eps) / Math.Sqrt(Eg[i] + eps) * g[i];
                Edx[i] = rho * Edx[i] + (1 - rho) * dx * dx;
                w[i] -= eta * dx;
            }
        }
        q.Values.ShouldBeCloseTo(w, 1e-13);
    }
}
