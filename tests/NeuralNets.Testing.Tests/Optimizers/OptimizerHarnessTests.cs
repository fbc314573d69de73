using Coursework;
using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers;

public class OptimizerHarnessTests
{
    public static TheoryData<string> Rules => ["Sgd", "Momentum", "Nesterov", "Adagrad", "Adam", "Adadelta", "Adadelta with weight decay"];

    private static ReferenceRule Rule(string name) => name switch
    {
        "Sgd" => ReferenceRule.Sgd(1e-3),
        "Momentum" => ReferenceRule.Momentum(1e-3, 0.9),
        "Nesterov" => ReferenceRule.Nesterov(1e-3, 0.9),
        "Adagrad" => ReferenceRule.Adagrad(0.1, 1e-10),
        "Adadelta" => ReferenceRule.Adadelta(1.0, 0.9, 1e-6),
        "Adadelta with weight decay" => ReferenceRule.Adadelta(1.0, 0.9, 1e-6, weightDecay: 0.01),
        _ => ReferenceRule.Adam(0.01, 0.9, 0.999, 1e-8),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Compare_LibraryOptimizerWithItself_AgreesOnEveryProblem(string name)
    {
        var rule = Rule(name);

        var comparison = OptimizerHarness.Compare(rule, rule.CreateReference, steps: 50);

        comparison.Passed.Should().BeTrue(comparison.ToString());
        comparison.Problems.Select(p => p.Problem).Should().Equal("quadratic", "Rosenbrock", "several parameters", "tiny gradients");
        comparison.ToString().Should().Contain("Rosenbrock: agrees with the reference for 50 steps").And.Contain("several parameters: agrees with the reference for 50 steps");
    }

    [Fact]
    public void Compare_ReferenceSolutions_AgreeWithTheLibrary()
    {
        OptimizerHarness.Compare(Rule("Momentum"), ps => new MomentumOptimizer(ps, 1e-3, 0.9)).Passed.Should().BeTrue();
        OptimizerHarness.Compare(Rule("Nesterov"), ps => new NesterovOptimizer(ps, 1e-3, 0.9)).Passed.Should().BeTrue();
        OptimizerHarness.Compare(Rule("Adagrad"), ps => new AdagradOptimizer(ps, 0.1, 1e-10)).Passed.Should().BeTrue();
        OptimizerHarness.Compare(Rule("Adam"), ps => new AdamOptimizer(ps, 0.01, 0.9, 0.999, 1e-8)).Passed.Should().BeTrue();
    }

    [Fact]
    public void Compare_NesterovThatTakesTheGradientAtW_PartsAtStepTwoWithTheTable()
    {
        // Plain momentum is Nesterov without the look-ahead: equal at step 1 (v = 0), apart from step 2.
        var comparison = OptimizerHarness.Compare(Rule("Nesterov"), ps => new MomentumOptimizer(ps, 1e-3, 0.9));

        comparison.Passed.Should().BeFalse();
        var text = comparison.ToString();
        text.Should().StartWith("Nesterov (η = 0.001, γ = 0.9): v ← γ·v + η·∇J(w − γ·v); w ← w − v");
        text.Should().Contain("quadratic: parts from the reference at step 2, w[");
        text.Should().Contain("| ∇J(w − γv)[2] |    v[2] | rule: w[2] after | yours: w[2] after |");
        comparison.Problems[0].Rows.Select(r => r.T).Should().Equal(1, 2);
    }

    [Fact]
    public void Compare_AdamWithoutBiasCorrection_PartsAtStepOneAndShowsMHatAndVHat()
    {
        var comparison = OptimizerHarness.Compare(Rule("Adam"), ps => new AdamWithoutBiasCorrection(ps));

        comparison.Problems.Should().OnlyContain(p => p.PartedAt == 1);
        comparison.ToString().Should().MatchRegex(@"\| +m̂\[\d\] \| +v̂\[\d\] \|");
    }

    [Fact]
    public void Compare_OptimizerNotWrittenYet_SaysWhichStepThrew()
    {
        var comparison = OptimizerHarness.Compare(Rule("Sgd"), ps => new NotWrittenOptimizer(ps));

        comparison.ToString().Should().Contain("quadratic: step 1 threw NotImplementedException: Step is yours to write.");
    }

    [Fact]
    public void Trace_MomentumOnTheQuadratic_ListsEveryStepInTheLecturesSymbols()
    {
        var problem = OptimizerProblem.Quadratic();
        var optimizer = new MomentumOptimizer(problem.Parameters, 0.01, 0.9);

        var table = optimizer.Trace(3, problem, ReferenceRule.Momentum(0.01, 0.9), element: 2);

        var lines = table.Split(Environment.NewLine);
        lines[0].Should().Be("Momentum (η = 0.01, γ = 0.9): v ← γ·v + η·g; w ← w − v, on quadratic");
        lines[1].Should().MatchRegex(@"^\| t +\| +w\[2\] \| +g\[2\] \| +v\[2\] \| rule: w\[2\] after \| this: w\[2\] after \|$");
        // By hand: w = 0.5, g = a·w + c = 100·0.5 + 2 = 52, v = 0.9·0 + 0.01·52 = 0.52, w − v = −0.02.
        lines[3].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Should().Equal("1", "0.5", "52", "0.52", "-0.02", "-0.02");
        lines.Should().HaveCount(6);
    }

    [Fact]
    public void Trace_WithoutElement_ShowsTheSteepestNotTheOneAtItsMinimum()
    {
        var problem = OptimizerProblem.Quadratic();
        var optimizer = new MomentumOptimizer(problem.Parameters, 0.01, 0.9);

        var table = optimizer.Trace(2, problem, ReferenceRule.Momentum(0.01, 0.9));

        // The quadratic's w[0] = 1 starts at its minimum (gradient 1·1 − 1 = 0); w[2] has gradient 52.
        table.Split(Environment.NewLine)[1].Should().Contain("w[2]");
    }

    private sealed class NotWrittenOptimizer(IReadOnlyList<Parameter<double>> parameters) : IOptimizer<double>
    {
        public IReadOnlyList<Parameter<double>> Parameters => parameters;

        public double LearningRate { get; set; }

        public double Step(Func<double> evaluate) => throw new NotImplementedException("Step is yours to write.");
    }

    /// <summary>Adam as often first written: the moments are used without dividing by 1 − βᵗ.</summary>
    private sealed class AdamWithoutBiasCorrection(IReadOnlyList<Parameter<double>> parameters) : IOptimizer<double>
    {
        private readonly double[] _m = new double[parameters[0].Length], _v = new double[parameters[0].Length];

        public IReadOnlyList<Parameter<double>> Parameters => parameters;

        public double LearningRate { get; set; } = 0.01;

        public double Step(Func<double> evaluate)
        {
            double loss = evaluate();
            Span<double> w = parameters[0].ValueSpan, g = parameters[0].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                (_m[i], _v[i]) = (0.9 * _m[i] + 0.1 * g[i], 0.999 * _v[i] + 0.001 * g[i] * g[i]);
                w[i] -= LearningRate * _m[i] / (Math.Sqrt(_v[i]) + 1e-8);
            }
            return loss;
        }
    }
}
