using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tests.Optimizers;
using static NeuralNets.Tests.Golden.GoldenInputs;
using static NeuralNets.Tests.Golden.OptimizerGoldenTests;
using static NeuralNets.Tests.Golden.PyTorchOptimizerValues;

namespace NeuralNets.Tests.Golden;

/// <summary>
/// Every optimizer in double against the trajectories Python PyTorch's torch.optim recorded in float64
/// (tests/PyTorchReference/optimizers.py, PyTorchOptimizerValues.cs), to 1e-10 relative: the elementwise rules for 15
/// steps on the golden quadratic, L-BFGS with and without its strong-Wolfe line search over several steps on quadratics,
/// a quartic, Rosenbrock, two one-dimensional functions that take the line search to its limits and two small networks,
/// with the loss each step returns, the closure calls it makes and the iterations it counts. NAdam was recorded with
/// torch 1.13's multi-tensor path: its single-tensor one still had the second correction's mu_product bug that
/// PyTorch 2.0 fixed (pytorch/pytorch#92699); ours is today's rule.
/// </summary>
public class PyTorchOptimizerTests
{
    private const int ElementwiseSteps = 15;

    [Theory]
    [InlineData(nameof(SgdWeightDecay))]
    [InlineData(nameof(SgdMomentum))]
    [InlineData(nameof(SgdMomentumDampeningWeightDecay))]
    [InlineData(nameof(SgdMomentumDampeningWeightDecayLearningRateChange))]
    [InlineData(nameof(SgdNesterovWeightDecayLearningRateChange))]
    [InlineData(nameof(Adagrad))]
    [InlineData(nameof(AdagradDecays))]
    [InlineData(nameof(Adadelta))]
    [InlineData(nameof(AdadeltaOptions))]
    [InlineData(nameof(RmsProp))]
    [InlineData(nameof(RmsPropCentered))]
    [InlineData(nameof(RmsPropMomentumLearningRateChange))]
    [InlineData(nameof(RmsPropCenteredMomentumWeightDecay))]
    [InlineData(nameof(Adam))]
    [InlineData(nameof(AdamWeightDecayBetasLearningRateChange))]
    [InlineData(nameof(AdamAmsgrad))]
    [InlineData(nameof(AdamW))]
    [InlineData(nameof(AdamWAmsgrad))]
    [InlineData(nameof(Nadam))]
    [InlineData(nameof(NadamWeightDecay))]
    public void Elementwise_FifteenSteps_MatchesPyTorch(string name)
    {
        var problem = Problem();
        var w = problem.W;
        // Momentum's v is PyTorch's η·b, so w is θ while η stays constant; across a change of η only PyTorch's convention
        // (b itself) follows PyTorch, for Nesterov too, whose parameters are then θ itself. Adagrad puts ε where PyTorch does only when asked.
        (IOptimizer<double> Optimizer, double[] Expected, double? LaterRate) run = name switch
        {
            nameof(SgdWeightDecay) => (new Sgd<double>([w], 0.01, weightDecay: 0.1), SgdWeightDecay, null),
            nameof(SgdMomentum) => (new Momentum<double>([w], 0.01, momentum: 0.9), SgdMomentum, null),
            nameof(SgdMomentumDampeningWeightDecay) => (new Momentum<double>([w], 0.02, momentum: 0.8, weightDecay: 0.05, dampening: 0.3), SgdMomentumDampeningWeightDecay, null),
            nameof(SgdMomentumDampeningWeightDecayLearningRateChange) => (new Momentum<double>([w], 0.03, momentum: 0.7, weightDecay: 0.02, dampening: 0.2,
                convention: MomentumConvention.PyTorch), SgdMomentumDampeningWeightDecayLearningRateChange, 0.01),
            nameof(SgdNesterovWeightDecayLearningRateChange) => (new Nesterov<double>([w], 0.02, momentum: 0.8, weightDecay: 0.03,
                convention: MomentumConvention.PyTorch), SgdNesterovWeightDecayLearningRateChange, 0.006),
            nameof(Adagrad) => (new Adagrad<double>([w], 0.1, epsilonPlacement: AdagradEpsilon.OutsideRoot), Adagrad, null),
            nameof(AdagradDecays) => (new Adagrad<double>([w], 0.2, learningRateDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-6,
                epsilonPlacement: AdagradEpsilon.OutsideRoot), AdagradDecays, null),
            nameof(Adadelta) => (new Adadelta<double>([w], 1.0), Adadelta, null),
            nameof(AdadeltaOptions) => (new Adadelta<double>([w], 0.5, rho: 0.8, epsilon: 1e-4, weightDecay: 0.1), AdadeltaOptions, null),
            nameof(RmsProp) => (new RmsProp<double>([w], 0.01), RmsProp, null),
            nameof(RmsPropCentered) => (new RmsProp<double>([w], 0.01, centered: true), RmsPropCentered, null),
            nameof(RmsPropMomentumLearningRateChange) => (new RmsProp<double>([w], 0.01, momentum: 0.5), RmsPropMomentumLearningRateChange, 0.003),
            nameof(RmsPropCenteredMomentumWeightDecay) => (new RmsProp<double>([w], 0.02, alpha: 0.9, epsilon: 1e-6, weightDecay: 0.1, momentum: 0.5, centered: true),
                RmsPropCenteredMomentumWeightDecay, null),
            nameof(Adam) => (new Adam<double>([w], 0.01), Adam, null),
            nameof(AdamWeightDecayBetasLearningRateChange) => (new Adam<double>([w], 0.05, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.1),
                AdamWeightDecayBetasLearningRateChange, 0.02),
            nameof(AdamAmsgrad) => (new Adam<double>([w], 0.1, beta2: 0.5, amsgrad: true), AdamAmsgrad, null),
            nameof(AdamW) => (new AdamW<double>([w], 0.01, weightDecay: 0.1), AdamW, null),
            nameof(AdamWAmsgrad) => (new AdamW<double>([w], 0.1, beta2: 0.5, weightDecay: 0.1, amsgrad: true), AdamWAmsgrad, null),
            nameof(Nadam) => (new Nadam<double>([w], 0.05), Nadam, null),
            nameof(NadamWeightDecay) => (new Nadam<double>([w], 0.1, beta1: 0.8, beta2: 0.9, weightDecay: 0.1, momentumDecay: 0.01), NadamWeightDecay, null),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
        var points = new List<double>();
        for (int step = 0; step < ElementwiseSteps; step++)
        {
            // PyTorch's schedule sets param_groups[0]["lr"] before the 11th step; ours sets the same rate.
            if (step == 10 && run.LaterRate is { } rate) run.Optimizer.LearningRate = rate;
            points.AddRange(Trajectory(problem, run.Optimizer, steps: 1));
        }
        points.ToArray().ShouldMatchPyTorch(run.Expected, "w");
    }

    [Theory]
    [InlineData(0.01, 0.9, 0.0)]
    [InlineData(0.015, 0.7, 0.1)]
    public void Nesterov_FifteenSteps_LookAheadPointMatchesPyTorchSgdNesterov(double learningRate, double momentum, double weightDecay)
    {
        // PyTorch's SGD(nesterov=True) keeps the look-ahead point θ = w − γv (Nesterov's remarks).
        var problem = Problem();
        double[] w = Trajectory(problem, new Nesterov<double>([problem.W], learningRate, momentum, weightDecay), ElementwiseSteps);
        LookAheadPoints(problem.Start, w, momentum)
            .ShouldMatchPyTorch(weightDecay == 0 ? SgdNesterov : SgdNesterovWeightDecay, "θ = w − γv");
    }

    [Theory]
    [InlineData(nameof(LbfgsQuadraticFixedStep))]
    [InlineData(nameof(LbfgsQuarticFixedStep))]
    [InlineData(nameof(LbfgsQuadraticStrongWolfe))]
    [InlineData(nameof(LbfgsQuarticStrongWolfe))]
    [InlineData(nameof(LbfgsRosenbrock2StrongWolfe))]
    [InlineData(nameof(LbfgsRosenbrock2EvaluationBudget))]
    [InlineData(nameof(LbfgsRosenbrock8StrongWolfe))]
    [InlineData(nameof(LbfgsTinyQuadraticStrongWolfe))]
    [InlineData(nameof(LbfgsShallowLineStrongWolfe))]
    [InlineData(nameof(LbfgsLevelingOffStrongWolfe))]
    [InlineData(nameof(LbfgsLevelingOffFartherStrongWolfe))]
    [InlineData(nameof(LbfgsTanhMseStrongWolfe))]
    [InlineData(nameof(LbfgsSigmoidCrossEntropyStrongWolfe))]
    [InlineData(nameof(LbfgsTanhMseFixedStep))]
    public void Lbfgs_SuccessiveSteps_MatchPyTorch(string name)
    {
        var quadratic = Problem();
        ((Parameter<double>[] Parameters, Func<double> Evaluate) Problem, PyTorchLbfgsRun Expected) run = name switch
        {
            nameof(LbfgsQuadraticFixedStep) => (([quadratic.W], quadratic.Evaluate), LbfgsQuadraticFixedStep),
            nameof(LbfgsQuarticFixedStep) => (([quadratic.W], WithQuartic(quadratic)), LbfgsQuarticFixedStep),
            nameof(LbfgsQuadraticStrongWolfe) => (([quadratic.W], quadratic.Evaluate), LbfgsQuadraticStrongWolfe),
            nameof(LbfgsQuarticStrongWolfe) => (([quadratic.W], WithQuartic(quadratic)), LbfgsQuarticStrongWolfe),
            nameof(LbfgsRosenbrock2StrongWolfe) => (Analytic(new Rosenbrock<double>()), LbfgsRosenbrock2StrongWolfe),
            nameof(LbfgsRosenbrock2EvaluationBudget) => (Analytic(new Rosenbrock<double>()), LbfgsRosenbrock2EvaluationBudget),
            nameof(LbfgsRosenbrock8StrongWolfe) => (Analytic(new Rosenbrock<double>(Wave(8, 300, 1.5))), LbfgsRosenbrock8StrongWolfe),
            nameof(LbfgsTinyQuadraticStrongWolfe) => (Analytic(new Quadratic<double>([1, 10, 100, 3], [0, 0, 0, 0], Wave(4, 1000, 1e-10))), LbfgsTinyQuadraticStrongWolfe),
            nameof(LbfgsShallowLineStrongWolfe) => (Analytic(new Quadratic<double>([1e-30], [-1], [0.5])), LbfgsShallowLineStrongWolfe),
            nameof(LbfgsLevelingOffStrongWolfe) => (LevelingOff(0.3), LbfgsLevelingOffStrongWolfe),
            nameof(LbfgsLevelingOffFartherStrongWolfe) => (LevelingOff(0), LbfgsLevelingOffFartherStrongWolfe),
            nameof(LbfgsTanhMseStrongWolfe) => (Network(new Tanh<double>(), mse: true), LbfgsTanhMseStrongWolfe),
            nameof(LbfgsSigmoidCrossEntropyStrongWolfe) => (Network(new Sigmoid<double>(), mse: false), LbfgsSigmoidCrossEntropyStrongWolfe),
            nameof(LbfgsTanhMseFixedStep) => (Network(new Tanh<double>(), mse: true), LbfgsTanhMseFixedStep),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
        var (problem, expected) = run;
        var optimizer = new Lbfgs<double>(problem.Parameters, expected.LearningRate, expected.MaxIterations, expected.MaxEvaluations,
            expected.GradientTolerance, expected.ChangeTolerance, expected.HistorySize, expected.LineSearch);

        int callCount = 0;
        double Counted()
        {
            callCount++;
            return problem.Evaluate();
        }
        var points = new List<double>();
        var returned = new List<double>();
        var callsPerStep = new List<int>();
        var iterationsAfter = new List<int>();
        for (int step = 0; step < expected.Losses.Length; step++)
        {
            int before = callCount;
            returned.Add(optimizer.Step(Counted));
            callsPerStep.Add(callCount - before);
            iterationsAfter.Add((int)optimizer.Iterations);
            foreach (var p in problem.Parameters) points.AddRange(p.ValueSpan.ToArray());
        }

        points.ToArray().ShouldMatchPyTorch(expected.Points, "parameters after each step");
        returned.ToArray().ShouldMatchPyTorch(expected.Losses, "loss returned by each step");
        callsPerStep.Should().Equal(expected.Calls, "each step calls the closure as often as PyTorch's");
        iterationsAfter.Should().Equal(expected.Iterations, "the iterations counted over all steps are PyTorch's n_iter");
    }

    private static (Parameter<double>[], Func<double>) Analytic(Rosenbrock<double> f) => ([f.P], f.Evaluate);

    private static (Parameter<double>[], Func<double>) Analytic(Quadratic<double> f) => ([f.W], f.Evaluate);

    /// <summary>f(w) = −w/√(1 + w²) in one dimension from <paramref name="start"/>: it falls towards −1, ever flatter.</summary>
    private static (Parameter<double>[], Func<double>) LevelingOff(double start)
    {
        var w = new Parameter<double>("w", 1);
        w.ValueSpan[0] = start;
        return ([w], () =>
        {
            double v = w.ValueSpan[0], root = Math.Sqrt(1 + v * v);
            w.GradientSpan[0] = -1 / ((1 + v * v) * root);
            return -v / root;
        });
    }

    /// <summary>
    /// The golden 3-4-2 network (Dense, <paramref name="activation"/>, Dense) with its Wave weights on 6 Wave points,
    /// against Wave targets by mean squared error or against labels 0,1,1,0,1,0 by softmax cross-entropy.
    /// </summary>
    private static (Parameter<double>[], Func<double>) Network(ILayer<double> activation, bool mse)
    {
        var (dense1, dense2, network) = LayerGoldenTests.GoldenMlp(activation);
        var x = TestTensors.Create(Wave(18, 0, 1.5), 6, 3);
        ILoss<double> loss = mse ? new MeanSquaredError<double>() : new SoftmaxCrossEntropy<double>();
        var target = mse ? TestTensors.Create(Wave(12, 500, 0.7), 6, 2) : TestTensors.Create([0.0, 1, 1, 0, 1, 0], 6);
        double Evaluate()
        {
            network.ZeroGradients();
            double value = loss.Forward(network.Forward(x, training: true), target);
            network.Backward(loss.Backward());
            return value;
        }
        return ([dense1.Weight, dense1.Bias!, dense2.Weight, dense2.Bias!], Evaluate);
    }
}

/// <summary>
/// One L-BFGS run recorded from PyTorch: the settings torch.optim.LBFGS ran with, and after each step() the parameters
/// (concatenated in the closure's parameter order), the loss it returned, the closure calls it made and its n_iter.
/// </summary>
internal sealed record PyTorchLbfgsRun(
    double LearningRate, int MaxIterations, int MaxEvaluations, double GradientTolerance, double ChangeTolerance, int HistorySize,
    LbfgsLineSearch LineSearch, double[] Points, double[] Losses, int[] Calls, int[] Iterations);
