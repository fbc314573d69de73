using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class MomentumTests
{
    [Fact]
    public void Step_ThreeSteps_MatchLectureFormula()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Momentum<double>([q.W], learningRate: 0.01, momentum: 0.9);
        double[] w = (double[])q.Start.Clone(), v = new double[3];
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                v[i] = 0.9 * v[i] + 0.01 * g[i];
                w[i] -= v[i];
            }
            q.Values.ShouldBeCloseTo(w, 1e-14, $"after step {step + 1}");
        }
    }

    [Fact]
    public void Step_FirstStep_EqualsHandValue()
    {
        // v₁ = η·g₀ with g₀ = a⊙w₀ + c = (0, −9.5, 52): w₁ = w₀ − 0.01·g₀.
        var q = Quadratic<double>.IllConditioned();
        new Momentum<double>([q.W], learningRate: 0.01).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([1, -1 + 0.095, 0.5 - 0.52], 1e-15);
    }

    [Fact]
    public void Step_ConstantRate_EqualsPyTorchFormStepForStep()
    {
        // PyTorch: b ← μ·b + g; w ← w − η·b. The lecture's v is η·b.
        const double eta = 0.004, mu = 0.9;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Momentum<double>([q.W], eta, mu);
        double[] theta = (double[])q.Start.Clone(), b = new double[3];
        for (int step = 1; step <= 25; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(theta);
            for (int i = 0; i < 3; i++)
            {
                b[i] = step == 1 ? g[i] : mu * b[i] + g[i];
                theta[i] -= eta * b[i];
            }
            q.Values.ShouldBeCloseTo(theta, 1e-12, $"after step {step}");
        }
    }

    [Fact]
    public void Step_WeightDecay_AddsLambdaWToGradient()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Momentum<double>([q.W], learningRate: 0.01, momentum: 0.5, weightDecay: 0.1);
        double[] w = (double[])q.Start.Clone(), v = new double[3];
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                v[i] = 0.5 * v[i] + 0.01 * (g[i] + 0.1 * w[i]);
                w[i] -= v[i];
            }
        }
        q.Values.ShouldBeCloseTo(w, 1e-14);
        q.W.GradientSpan.ToArray().ShouldBeCloseTo(q.Gradient(q.Evaluated[^1]), 0, "the caller's gradient is left as computed");
    }
}
