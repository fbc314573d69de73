using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class RmsPropTests
{
    private static double[] Reference(Quadratic<double> q, int steps, double eta, double alpha, double eps, double lambda, double mu, bool centered)
    {
        int n = q.Start.Length;
        double[] w = (double[])q.Start.Clone(), v = new double[n], mean = new double[n], b = new double[n];
        for (int t = 0; t < steps; t++)
        {
            var g = q.Gradient(w).Select((gi, i) => gi + lambda * w[i]).ToArray();
            for (int i = 0; i < n; i++)
            {
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                mean[i] = alpha * mean[i] + (1 - alpha) * g[i];
                double d = (centered ? Math.Sqrt(v[i] - mean[i] * mean[i]) : Math.Sqrt(v[i])) + eps;
                if (mu > 0)
                {
                    b[i] = mu * b[i] + g[i] / d;
                    w[i] -= eta * b[i];
                }
                else
                {
                    w[i] -= eta * g[i] / d;
                }
            }
        }
        return w;
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.0, true, 0.0)]
    [InlineData(0.7, false, 0.0)]
    [InlineData(0.7, true, 0.05)]
    public void Step_AnyVariant_MatchesFormula(double momentum, bool centered, double weightDecay)
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new RmsProp<double>([q.W], learningRate: 0.01, alpha: 0.9, epsilon: 1e-6, weightDecay, momentum, centered);
        for (int t = 0; t < 4; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(Reference(Quadratic<double>.IllConditioned(), 4, 0.01, 0.9, 1e-6, weightDecay, momentum, centered), 1e-13);
    }

    [Fact]
    public void Step_FirstStep_EqualsHandValue()
    {
        // v₁ = (1 − α)·g² with α = 0.99, so w₁ = w₀ − η·g/(0.1·|g| + ε).
        var q = Quadratic<double>.IllConditioned();
        new RmsProp<double>([q.W], learningRate: 0.01, epsilon: 1.0).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([1, -1 + 0.01 * 9.5 / (0.95 + 1), 0.5 - 0.01 * 52 / (5.2 + 1)], 1e-15);
    }
}
