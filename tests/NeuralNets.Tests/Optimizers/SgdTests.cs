using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class SgdTests
{
    [Fact]
    public void Step_WeightDecay_MatchesFormula()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Sgd<double>([q.W], learningRate: 0.01, weightDecay: 0.2);
        double[] w = (double[])q.Start.Clone();
        for (int t = 0; t < 3; t++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++) w[i] -= 0.01 * (g[i] + 0.2 * w[i]);
        }
        q.Values.ShouldBeCloseTo(w, 1e-14);
    }
}
