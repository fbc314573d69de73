using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class NesterovTests
{
    [Fact]
    public void Step_ThreeSteps_MatchLectureLookAheadFormula()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Nesterov<double>([q.W], learningRate: 0.01, momentum: 0.9);
        double[] w = (double[])q.Start.Clone(), v = new double[3];
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(q.Evaluate);
            var lookAhead = w.Select((wi, i) => wi - 0.9 * v[i]).ToArray();
            var g = q.Gradient(lookAhead);
            for (int i = 0; i < 3; i++)
            {
                v[i] = 0.9 * v[i] + 0.01 * g[i];
                w[i] -= v[i];
            }
            q.Evaluated[^1].ShouldBeCloseTo(lookAhead, 1e-15, "evaluate is called at w − γv");
            q.Values.ShouldBeCloseTo(w, 1e-14, $"after step {step + 1}");
        }
        q.Evaluated.Should().HaveCount(3, "one evaluation per step");
    }

    [Fact]
    public void Step_25Steps_PyTorchParametersEqualLookAheadPoint()
    {
        // PyTorch SGD(nesterov=True): b ← μ·b + g(θ); θ ← θ − η·(g(θ) + μ·b). Claim: θ_t = w_t − γ·v_t, v_t = w_{t−1} − w_t.
        const double eta = 0.004, gamma = 0.9;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Nesterov<double>([q.W], eta, gamma);
        double[] theta = (double[])q.Start.Clone(), b = new double[3];
        double[] previous = q.Values;
        for (int step = 1; step <= 25; step++)
        {
            optimizer.Step(q.Evaluate);
            q.Evaluated[^1].ShouldBeCloseTo(theta, 1e-12, $"evaluate at step {step} sees PyTorch's θ");

            var g = q.Gradient(theta);
            for (int i = 0; i < 3; i++)
            {
                b[i] = step == 1 ? g[i] : gamma * b[i] + g[i];
                theta[i] -= eta * (g[i] + gamma * b[i]);
            }
            var w = q.Values;
            var lookAhead = w.Select((wi, i) => wi - gamma * (previous[i] - wi)).ToArray();
            lookAhead.ShouldBeCloseTo(theta, 1e-12, $"after step {step}");
            previous = w;
        }
    }

    [Fact]
    public void Step_EvaluateThrows_RestoresWeightsAndVelocity()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Nesterov<double>([q.W], learningRate: 0.01);
        optimizer.Step(q.Evaluate);
        var before = q.Values;

        var act = () => optimizer.Step(() => throw new InvalidOperationException("boom"));

        act.Should().Throw<InvalidOperationException>();
        q.Values.Should().Equal(before);
        optimizer.Step(q.Evaluate);
        var r = Quadratic<double>.IllConditioned();
        var reference = new Nesterov<double>([r.W], learningRate: 0.01);
        reference.Step(r.Evaluate);
        reference.Step(r.Evaluate);
        q.Values.Should().Equal(r.Values, "the failed step changed no state");
    }
}
