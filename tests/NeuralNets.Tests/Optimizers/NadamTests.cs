using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class NadamTests
{
    // PyTorch's NAdam, written from its documented algorithm, in double throughout.
    private static double[] ReferenceNadam(Quadratic<double> q, int steps, double eta, double b1, double b2, double eps, double lambda, bool decoupled, double psi = 4e-3)
    {
        double[] w = (double[])q.Start.Clone(), m = new double[w.Length], v = new double[w.Length];
        double product = 1;
        for (int t = 1; t <= steps; t++)
        {
            // The gradient is taken at w before the decoupled decay shrinks it, as in the training loop.
            var g = q.Gradient(w).Select((gi, i) => decoupled ? gi : gi + lambda * w[i]).ToArray();
            if (decoupled) for (int i = 0; i < w.Length; i++) w[i] *= 1 - eta * lambda;
            double mu = b1 * (1 - 0.5 * Math.Pow(0.96, t * psi));
            double muNext = b1 * (1 - 0.5 * Math.Pow(0.96, (t + 1) * psi));
            product *= mu;
            for (int i = 0; i < w.Length; i++)
            {
                m[i] += (1 - b1) * (g[i] - m[i]);
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double d = Math.Sqrt(v[i] / (1 - Math.Pow(b2, t))) + eps;
                w[i] += -eta * (1 - mu) / (1 - product) * g[i] / d;
                w[i] += -eta * muNext / (1 - product * muNext) * m[i] / d;
            }
        }
        return w;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void Step_Defaults_MatchFormula(int steps)
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Nadam<double>([q.W], learningRate: 0.05);
        for (int t = 0; t < steps; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(ReferenceNadam(Quadratic<double>.IllConditioned(), steps, 0.05, 0.9, 0.999, 1e-8, 0, false), 1e-13);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_WeightDecay_L2OrDecoupled_MatchFormula(bool decoupled)
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Nadam<double>([q.W], 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.3, momentumDecay: 0.1, decoupledWeightDecay: decoupled);
        for (int t = 0; t < 6; t++) optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(ReferenceNadam(Quadratic<double>.IllConditioned(), 6, 0.02, 0.8, 0.95, 1e-3, 0.3, decoupled, psi: 0.1), 1e-13);
    }

    [Fact]
    public void Step_FirstStep_EqualsHandValue()
    {
        // t = 1: m = (1 − β1)·g, √(v/(1 − β2)) = |g|, Π₁ = μ₁, so
        // w₁ = w₀ − η·g/(|g| + ε)·(1 + (1 − β1)·μ₂/(1 − μ₁μ₂)). g₀ = (0, −9.5, 52), ε = 0.5.
        double mu1 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 0.004)), mu2 = 0.9 * (1 - 0.5 * Math.Pow(0.96, 0.008));
        double factor = 1 + 0.1 * mu2 / (1 - mu1 * mu2);
        var q = Quadratic<double>.IllConditioned();
        new Nadam<double>([q.W], learningRate: 0.1, epsilon: 0.5).Step(q.Evaluate);
        q.Values.ShouldBeCloseTo([1, -1 + 0.1 * 9.5 / 10 * factor, 0.5 - 0.1 * 52 / 52.5 * factor], 1e-14);
    }

    [Fact]
    public void Constructor_Defaults_ArePyTorchs()
    {
        var nadam = new Nadam<double>([new Parameter<double>("w", 1)]);
        (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon, nadam.WeightDecay, nadam.MomentumDecay, nadam.DecoupledWeightDecay)
            .Should().Be((2e-3, 0.9, 0.999, 1e-8, 0.0, 4e-3, false));
        nadam.ToString().Should().Be("Nadam(learningRate=0.002, beta1=0.9, beta2=0.999, epsilon=1E-08, weightDecay=0, momentumDecay=0.004)");
    }
}
