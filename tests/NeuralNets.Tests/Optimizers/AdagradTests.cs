using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class AdagradTests
{
    [Fact]
    public void Step_LectureForm_MatchesFormula()
    {
        const double eta = 0.5, eps = 1e-10;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adagrad<double>([q.W], learningRate: eta);
        double[] w = (double[])q.Start.Clone(), G = new double[3];
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                G[i] += g[i] * g[i];
                w[i] -= eta / Math.Sqrt(G[i] + eps) * g[i];
            }
            q.Values.ShouldBeCloseTo(w, 1e-13, $"after step {step + 1}");
        }
    }

    [Fact]
    public void Step_FirstStepLectureForm_EqualsHandValue()
    {
        // G₁ = g₀² so w₁ = w₀ − η·g₀/√(g₀² + ε); g₀ = (0, −9.5, 52), ε = 1e-2 makes the root visible.
        var q = Quadratic<double>.IllConditioned();
        new Adagrad<double>([q.W], learningRate: 0.1, epsilon: 1e-2).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([1, -1 + 0.1 * 9.5 / Math.Sqrt(90.26), 0.5 - 0.1 * 52 / Math.Sqrt(2704.01)], 1e-15);
    }

    [Fact]
    public void Step_PyTorchFormWithDecayAndAccumulator_MatchesFormula()
    {
        const double eta = 0.5, decay = 0.1, lambda = 0.01, init = 0.3, eps = 1e-3;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adagrad<double>([q.W], eta, learningRateDecay: decay, weightDecay: lambda,
            initialAccumulatorValue: init, epsilon: eps, epsilonPlacement: AdagradEpsilon.OutsideRoot);
        double[] w = (double[])q.Start.Clone(), G = [init, init, init];
        for (int t = 1; t <= 4; t++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w).Select((gi, i) => gi + lambda * w[i]).ToArray();
            double rate = eta / (1 + (t - 1) * decay);
            for (int i = 0; i < 3; i++)
            {
                G[i] += g[i] * g[i];
                w[i] -= rate * g[i] / (Math.Sqrt(G[i]) + eps);
            }
            q.Values.ShouldBeCloseTo(w, 1e-13, $"after step {t}");
        }
    }

    [Fact]
    public void Constructor_Defaults_ArePyTorchs()
    {
        var optimizer = new Adagrad<float>([new Parameter<float>("w", 2)]);
        optimizer.LearningRate.Should().Be(0.01);
        optimizer.Epsilon.Should().Be(1e-10);
        optimizer.EpsilonPlacement.Should().Be(AdagradEpsilon.InsideRoot);
        (optimizer.LearningRateDecay, optimizer.WeightDecay, optimizer.InitialAccumulatorValue).Should().Be((0.0, 0.0, 0.0));
    }
}
