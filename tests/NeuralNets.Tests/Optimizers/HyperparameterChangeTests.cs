using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>Any hyperparameter may change between steps; the next step uses the new value, validated when set.</summary>
public class HyperparameterChangeTests
{
    [Fact]
    public void Adam_Beta1ChangedAtStep4_MatchesTheFormulaWithTheNewBeta1FromThen()
    {
        // PyTorch reads β1 afresh each step, bias correction 1 − β1ᵗ included.
        const double eta = 0.02, beta2 = 0.95, epsilon = 1e-3;
        var q = Quadratic<double>.IllConditioned();
        var adam = new Adam<double>([q.W], eta, beta1: 0.9, beta2: beta2, epsilon: epsilon);
        double[] w = (double[])q.Start.Clone(), m = new double[3], v = new double[3];
        for (int t = 1; t <= 8; t++)
        {
            if (t == 4) adam.Beta1 = 0.5;
            adam.Step(q.Evaluate);
            double beta1 = t < 4 ? 0.9 : 0.5;
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= eta * (m[i] / (1 - Math.Pow(beta1, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(beta2, t))) + epsilon);
            }
            q.Values.ShouldBeCloseTo(w, 1e-13, $"after step {t}");
        }
    }

    [Fact]
    public void Adam_Beta1ChangedAtStepK_EqualsTwoPhasesThroughASnapshot()
    {
        // Phase one with β1 = 0.9, then a fresh optimizer built with β1 = 0.6 takes over the state: the same as one run whose β1 changes.
        var q = Quadratic<float>.IllConditioned();
        var changed = new Adam<float>([q.W], 0.05);
        var p = Quadratic<float>.IllConditioned();
        var phaseOne = new Adam<float>([p.W], 0.05);
        for (int t = 0; t < 3; t++)
        {
            changed.Step(q.Evaluate);
            phaseOne.Step(p.Evaluate);
        }
        changed.Beta1 = 0.6;
        var snapshot = phaseOne.ExportState();
        var phaseTwo = new Adam<float>([p.W], 0.05, beta1: 0.6);
        phaseTwo.ImportState(new OptimizerSnapshot(snapshot.Kind, snapshot.ElementType,
            new Dictionary<string, double>(snapshot.Hyperparameters) { ["beta1"] = 0.6 }, snapshot.Parameters));
        for (int t = 0; t < 4; t++)
        {
            changed.Step(q.Evaluate);
            phaseTwo.Step(p.Evaluate);
        }
        q.Values.Should().Equal(p.Values);
        phaseTwo.Beta1.Should().Be(0.6);
    }

    [Fact]
    public void Momentum_MomentumFactorChangedMidRun_UsesTheNewFactorFromThen()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Momentum<double>([q.W], learningRate: 0.01, momentum: 0.9);
        double[] w = (double[])q.Start.Clone(), v = new double[3];
        for (int step = 1; step <= 5; step++)
        {
            if (step == 3) optimizer.MomentumFactor = 0.3;
            optimizer.Step(q.Evaluate);
            double gamma = step < 3 ? 0.9 : 0.3;
            var g = q.Gradient(w);
            for (int i = 0; i < 3; i++)
            {
                v[i] = gamma * v[i] + 0.01 * g[i];
                w[i] -= v[i];
            }
        }
        q.Values.ShouldBeCloseTo(w, 1e-14);
    }

    [Fact]
    public void Momentum_Dampening_MatchesPyTorchsSgdWithDampening()
    {
        // PyTorch: b₁ = g; b ← μ·b + (1 − τ)·g; θ ← θ − η·b. The lecture's v is η·b.
        const double eta = 0.004, mu = 0.9, tau = 0.3;
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Momentum<double>([q.W], eta, mu, dampening: tau);
        double[] theta = (double[])q.Start.Clone(), b = new double[3];
        for (int step = 1; step <= 10; step++)
        {
            optimizer.Step(q.Evaluate);
            var g = q.Gradient(theta);
            for (int i = 0; i < 3; i++)
            {
                b[i] = step == 1 ? g[i] : mu * b[i] + (1 - tau) * g[i];
                theta[i] -= eta * b[i];
            }
            q.Values.ShouldBeCloseTo(theta, 1e-12, $"after step {step}");
        }
    }

    [Fact]
    public void RmsProp_MomentumAndCenteredSwitchedOnMidRun_CreateTheirBuffersThen()
    {
        var q = Quadratic<double>.IllConditioned();
        var rmsProp = new RmsProp<double>([q.W], 0.01);
        rmsProp.Step(q.Evaluate);
        rmsProp.State["w"].BufferNames.Should().Equal("square_avg");
        (rmsProp.Momentum, rmsProp.Centered) = (0.5, true);
        rmsProp.Step(q.Evaluate);
        rmsProp.State["w"].BufferNames.Should().Equal("square_avg", "grad_avg", "momentum_buffer");
        rmsProp.ToString().Should().Be("RmsProp(learningRate=0.01, alpha=0.99, epsilon=1E-08, weightDecay=0, momentum=0.5, centered=True)");
    }

    public static TheoryData<string, string, Action> InvalidSets => new()
    {
        { "beta1", "1", () => new Adam<double>([new("w", 1)]).Beta1 = 1 },
        { "beta2", "-0.1", () => new AdamW<double>([new("w", 1)]).Beta2 = -0.1 },
        { "epsilon", "0", () => new Nadam<double>([new("w", 1)]).Epsilon = 0 },
        { "momentum", "1", () => new Momentum<double>([new("w", 1)], 0.1).MomentumFactor = 1 },
        { "momentum", "NaN", () => new Nesterov<double>([new("w", 1)], 0.1).Momentum = double.NaN },
        { "dampening", "-1", () => new Momentum<double>([new("w", 1)], 0.1).Dampening = -1 },
        { "rho", "1.5", () => new Adadelta<double>([new("w", 1)]).Rho = 1.5 },
        { "alpha", "-1", () => new RmsProp<double>([new("w", 1)]).Alpha = -1 },
        { "weightDecay", "-1", () => new Sgd<double>([new("w", 1)], 0.1).WeightDecay = -1 },
        { "learningRateDecay", "Infinity", () => new Adagrad<double>([new("w", 1)]).LearningRateDecay = double.PositiveInfinity },
        { "learningRate", "1E-50", () => new Sgd<float>([new("w", 1)], 0.1).LearningRate = 1e-50 },
    };

    [Theory]
    [MemberData(nameof(InvalidSets))]
    public void Setter_InvalidValue_ThrowsNamingItAndTheValue(string name, string value, Action set)
    {
        set.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name).WithMessage($"{name} *{value}*");
    }

    [Fact]
    public void Setter_InvalidValue_KeepsTheOldValue()
    {
        var adam = new Adam<double>([new Parameter<double>("w", 1)], beta1: 0.8);
        adam.Invoking(a => a.Beta1 = 1).Should().Throw<ArgumentOutOfRangeException>();
        adam.Beta1.Should().Be(0.8);
    }
}
