using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class AdamTests
{
    private static double[] ReferenceAdam(Quadratic<double> q, int steps, double eta, double b1, double b2, double eps, double l2, double decoupled, bool amsgrad = false)
    {
        double[] w = (double[])q.Start.Clone(), m = new double[w.Length], v = new double[w.Length], vMax = new double[w.Length];
        for (int t = 1; t <= steps; t++)
        {
            var g = q.Gradient(w).Select((gi, i) => gi + l2 * w[i]).ToArray();
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= eta * decoupled * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.Pow(b2, t));
                w[i] -= eta * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return w;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Step_Defaults_MatchFormula(int steps)
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adam<double>([q.W], learningRate: 0.05);
        for (int t = 0; t < steps; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(ReferenceAdam(Quadratic<double>.IllConditioned(), steps, 0.05, 0.9, 0.999, 1e-8, 0, 0), 1e-13);
    }

    [Fact]
    public void Step_FirstStep_IsRateTimesSignOfGradient()
    {
        // m̂₁ = g, v̂₁ = g²: w₁ = w₀ − η·g/(|g| + ε). g₀ = (0, −9.5, 52), ε = 0.5 makes it visible.
        var q = Quadratic<double>.IllConditioned();
        new Adam<double>([q.W], learningRate: 0.1, epsilon: 0.5).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([1, -1 + 0.1 * 9.5 / 10, 0.5 - 0.1 * 52 / 52.5], 1e-15);
    }

    [Fact]
    public void Step_L2WeightDecay_PassesThroughMoments()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Adam<double>([q.W], 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.1);
        for (int t = 0; t < 4; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(ReferenceAdam(Quadratic<double>.IllConditioned(), 4, 0.02, 0.8, 0.95, 1e-3, 0.1, 0), 1e-13);
    }

    [Fact]
    public void AdamWStep_DecoupledDecay_ShrinksWeightsBeforeAdamStep()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new AdamW<double>([q.W], 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.3);
        for (int t = 0; t < 4; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(ReferenceAdam(Quadratic<double>.IllConditioned(), 4, 0.02, 0.8, 0.95, 1e-3, 0, 0.3), 1e-13);
    }

    [Fact]
    public void AdamWStep_FirstStep_EqualsHandValue()
    {
        // w₁ = w₀·(1 − η·λ) − η·g/(|g| + ε) with η = 0.1, λ = 0.5, ε = 0.5.
        var q = Quadratic<double>.IllConditioned();
        new AdamW<double>([q.W], learningRate: 0.1, epsilon: 0.5, weightDecay: 0.5).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([0.95, -0.95 + 0.1 * 9.5 / 10, 0.475 - 0.1 * 52 / 52.5], 1e-15);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_Amsgrad_MatchesFormula(bool decoupled)
    {
        // β2 = 0.5 forgets fast, and the quadratic's gradient shrinks as w converges, so v falls below
        // its earlier maximum within a few steps: the max is what differs from plain Adam.
        var q = Quadratic<double>.IllConditioned();
        IOptimizer<double> optimizer = decoupled
            ? new AdamW<double>([q.W], 0.02, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, weightDecay: 0.3, amsgrad: true)
            : new Adam<double>([q.W], 0.02, beta1: 0.8, beta2: 0.5, epsilon: 1e-3, weightDecay: 0.1, amsgrad: true);
        for (int t = 0; t < 12; t++) optimizer.Step(q.Evaluate);
        var expected = ReferenceAdam(Quadratic<double>.IllConditioned(), 12, 0.02, 0.8, 0.5, 1e-3, decoupled ? 0 : 0.1, decoupled ? 0.3 : 0, amsgrad: true);
        var plain = ReferenceAdam(Quadratic<double>.IllConditioned(), 12, 0.02, 0.8, 0.5, 1e-3, decoupled ? 0 : 0.1, decoupled ? 0.3 : 0);
        q.Values.ShouldBeCloseTo(expected, 1e-13);
        Math.Abs(expected[2] - plain[2]).Should().BeGreaterThan(1e-6, "the test must exercise a step where v fell below its maximum");
    }

    [Fact]
    public void ToString_NamesAmsgradOnlyWhenOn()
    {
        var p = new Parameter<double>("w", 1);
        new Adam<double>([p]).ToString().Should().NotContain("amsgrad");
        new Adam<double>([p], amsgrad: true).ToString().Should().Contain("amsgrad=True");
        new AdamW<double>([p], amsgrad: true).Amsgrad.Should().BeTrue();
    }

    [Fact]
    public void Constructor_Defaults_ArePyTorchs()
    {
        var p = new Parameter<double>("w", 1);
        var adam = new Adam<double>([p]);
        (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.Amsgrad).Should().Be((1e-3, 0.9, 0.999, 1e-8, 0.0, false));
        new AdamW<double>([p]).WeightDecay.Should().Be(1e-2);
    }
}
