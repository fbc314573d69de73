using NeuralNets.Optimizers;
using NeuralNets.Tests.Optimizers;
using static NeuralNets.Tests.Golden.GoldenInputs;

namespace NeuralNets.Tests.Golden;

/// <summary>
/// Five steps of each optimizer in double on f(w) = ½ Σ aᵢwᵢ² + Σ cᵢwᵢ against the trajectories recorded from
/// libtorch's optimizers (TorchGoldenValues.cs), to 1e-10 relative.
/// </summary>
public class OptimizerGoldenTests
{
    /// <summary>The quadratic every elementwise golden test runs on (PyTorchOptimizerTests too).</summary>
    internal static Quadratic<double> Problem() => new([1, 10, 100, 3], [1, -2, 0.5, 0], Wave(4, 1000, 1.0));

    /// <summary>w after each of <paramref name="steps"/> steps, concatenated.</summary>
    internal static double[] Trajectory(Quadratic<double> problem, IOptimizer<double> optimizer, int steps = 5)
    {
        var points = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            optimizer.Step(problem.Evaluate);
            points.AddRange(problem.Values);
        }
        return points.ToArray();
    }

    [Fact]
    public void Momentum_FiveSteps_MatchesTorchSgdMomentum()
    {
        // Ours: v ← γv + η∇J, w ← w − v. PyTorch: b ← γb + ∇J, θ ← θ − ηb. With b = v/η (η constant) w = θ.
        var problem = Problem();
        Trajectory(problem, new Momentum<double>([problem.W], learningRate: 0.01, momentum: 0.9))
            .ShouldMatchTorch(TorchGoldenValues.SgdMomentum, "w");
    }

    [Fact]
    public void Nesterov_FiveSteps_LookAheadPointMatchesTorchSgdNesterov()
    {
        // Ours stores w and evaluates at the look-ahead w − γv; PyTorch's SGD(nesterov=True) stores that
        // look-ahead point: θₖ = wₖ − γ·vₖ with vₖ = wₖ₋₁ − wₖ (the update just applied).
        const double gamma = 0.9;
        var problem = Problem();
        double[] w = Trajectory(problem, new Nesterov<double>([problem.W], learningRate: 0.01, momentum: gamma));
        var theta = LookAheadPoints(problem.Start, w, gamma);
        theta.ShouldMatchTorch(TorchGoldenValues.SgdNesterov, "θ = w − γv");
    }

    /// <summary>
    /// PyTorch's θₖ = wₖ − γ·vₖ for each w after a step in <paramref name="w"/> (concatenated, each as long as
    /// <paramref name="start"/>), with vₖ = wₖ₋₁ − wₖ the update just applied.
    /// </summary>
    internal static double[] LookAheadPoints(double[] start, double[] w, double gamma)
    {
        int n = start.Length;
        var theta = new double[w.Length];
        for (int k = 0; k < w.Length / n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                double previous = k == 0 ? start[i] : w[n * (k - 1) + i];
                double v = previous - w[n * k + i];
                theta[n * k + i] = w[n * k + i] - gamma * v;
            }
        }
        return theta;
    }

    [Fact]
    public void Adagrad_EpsilonOutsideRoot_MatchesTorchAdagrad()
    {
        // PyTorch's Adagrad puts ε (1e-10) after the square root; ours puts it inside unless asked.
        var problem = Problem();
        Trajectory(problem, new Adagrad<double>([problem.W], learningRate: 0.1, epsilon: 1e-10, epsilonPlacement: AdagradEpsilon.OutsideRoot))
            .ShouldMatchTorch(TorchGoldenValues.Adagrad, "w");
    }

    [Fact]
    public void Adadelta_FiveSteps_MatchesTorchAdadelta()
    {
        var problem = Problem();
        Trajectory(problem, new Adadelta<double>([problem.W], learningRate: 1.0))
            .ShouldMatchTorch(TorchGoldenValues.Adadelta, "w");
    }

    [Fact]
    public void Adam_FiveSteps_MatchesTorchAdam()
    {
        var problem = Problem();
        Trajectory(problem, new Adam<double>([problem.W], learningRate: 0.01))
            .ShouldMatchTorch(TorchGoldenValues.Adam, "w");
    }

    [Fact]
    public void Adam_WeightDecay_MatchesTorchAdamL2()
    {
        var problem = Problem();
        Trajectory(problem, new Adam<double>([problem.W], learningRate: 0.01, weightDecay: 0.1))
            .ShouldMatchTorch(TorchGoldenValues.AdamWeightDecay, "w");
    }

    [Fact]
    public void AdamW_FiveSteps_MatchesTorchAdamW()
    {
        var problem = Problem();
        Trajectory(problem, new AdamW<double>([problem.W], learningRate: 0.01, weightDecay: 0.1))
            .ShouldMatchTorch(TorchGoldenValues.AdamW, "w");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Amsgrad_FiveSteps_MatchesTorch(bool decoupled)
    {
        IOptimizer<double> Create(Parameter<double> w, bool amsgrad) => decoupled
            ? new AdamW<double>([w], learningRate: 0.1, beta2: 0.5, weightDecay: 0.1, amsgrad: amsgrad)
            : new Adam<double>([w], learningRate: 0.1, beta2: 0.5, amsgrad: amsgrad);
        var problem = Problem();
        var amsgrad = Trajectory(problem, Create(problem.W, amsgrad: true));
        amsgrad.ShouldMatchTorch(decoupled ? TorchGoldenValues.AdamWAmsgrad : TorchGoldenValues.AdamAmsgrad, "w");
        // The recorded steps must be ones where the running maximum differs from the current v.
        var plainProblem = Problem();
        var plain = Trajectory(plainProblem, Create(plainProblem.W, amsgrad: false));
        amsgrad.Zip(plain, (x, y) => Math.Abs(x - y)).Max().Should().BeGreaterThan(1e-6);
    }

    [Fact]
    public void Nadam_FiveSteps_MatchesTorchNAdam()
    {
        var problem = Problem();
        Trajectory(problem, new Nadam<double>([problem.W], learningRate: 0.05))
            .ShouldMatchTorch(TorchGoldenValues.Nadam, "w");
    }

    [Fact]
    public void Nadam_WeightDecayAndFasterMomentumDecay_MatchesTorchNAdam()
    {
        var problem = Problem();
        Trajectory(problem, new Nadam<double>([problem.W], learningRate: 0.1, beta1: 0.8, beta2: 0.9, weightDecay: 0.1, momentumDecay: 0.01))
            .ShouldMatchTorch(TorchGoldenValues.NadamWeightDecay, "w");
    }

    [Fact]
    public void RmsProp_FiveSteps_MatchesTorchRmsProp()
    {
        var problem = Problem();
        Trajectory(problem, new RmsProp<double>([problem.W], learningRate: 0.01))
            .ShouldMatchTorch(TorchGoldenValues.RmsProp, "w");
    }

    [Fact]
    public void RmsProp_CenteredWithMomentum_MatchesTorchRmsProp()
    {
        var problem = Problem();
        Trajectory(problem, new RmsProp<double>([problem.W], learningRate: 0.01, momentum: 0.5, centered: true))
            .ShouldMatchTorch(TorchGoldenValues.RmsPropCenteredMomentum, "w");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LbfgsFixedStep_FiveStepsOfThreeIterations_MatchesTorchLbfgs(bool quartic)
    {
        // libtorch's LBFGS without a line search: η = 0.5, three iterations a step, three pairs, the pairs carried from
        // step to step and the last iteration's point left for the next step to evaluate. The quartic ¼ Σ wᵢ⁴ makes the
        // curvature change along the way.
        var problem = Problem();
        Func<double> evaluate = quartic ? WithQuartic(problem) : problem.Evaluate;
        var optimizer = new Lbfgs<double>([problem.W], learningRate: 0.5, maxIterations: 3, historySize: 3, lineSearch: LbfgsLineSearch.FixedStep);
        var points = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            optimizer.Step(evaluate);
            points.AddRange(problem.Values);
        }
        optimizer.StoredPairs.Should().Be(3, "the history filled, so the oldest pairs were dropped");
        points.ToArray().ShouldMatchTorch(quartic ? TorchGoldenValues.LbfgsFixedStepQuartic : TorchGoldenValues.LbfgsFixedStep, "w");
    }

    /// <summary>The closure of f(w) + ¼ Σ wᵢ⁴ for the quadratic f of <paramref name="problem"/>.</summary>
    internal static Func<double> WithQuartic(Quadratic<double> problem) => () =>
    {
        double loss = problem.Evaluate();
        var w = problem.W.ValueSpan;
        var g = problem.W.GradientSpan;
        for (int i = 0; i < w.Length; i++)
        {
            loss += 0.25 * (w[i] * w[i] * w[i] * w[i]);
            g[i] += w[i] * w[i] * w[i];
        }
        return loss;
    };
}
