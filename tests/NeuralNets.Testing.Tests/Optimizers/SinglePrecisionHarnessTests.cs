using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Optimizers.Students;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>Optimizers over float parameters, judged step by step against the rule in double at a float tolerance.</summary>
public class SinglePrecisionHarnessTests
{
    public static TheoryData<string> Rules => [.. Library.Keys];

    private static readonly Dictionary<string, (ReferenceRule Rule, Func<IReadOnlyList<Parameter<float>>, IOptimizer<float>> Create)> Library = new()
    {
        ["Sgd"] = (ReferenceRule.Sgd(1e-3), ps => new Sgd<float>(ps, 1e-3)),
        ["Momentum"] = (ReferenceRule.Momentum(1e-3, 0.9), ps => new Momentum<float>(ps, 1e-3, 0.9)),
        ["Nesterov"] = (ReferenceRule.Nesterov(1e-3, 0.9), ps => new Nesterov<float>(ps, 1e-3, 0.9)),
        ["Adagrad"] = (ReferenceRule.Adagrad(0.1, 1e-10), ps => new Adagrad<float>(ps, 0.1, epsilon: 1e-10, epsilonPlacement: AdagradEpsilon.InsideRoot)),
        ["Adam"] = (ReferenceRule.Adam(0.01, 0.9, 0.999, 1e-8), ps => new Adam<float>(ps, 0.01, 0.9, 0.999, 1e-8)),
        ["Adadelta"] = (ReferenceRule.Adadelta(1.0, 0.9, 1e-6), ps => new Adadelta<float>(ps, 1.0, 0.9, 1e-6)),
        ["Adadelta with weight decay"] = (ReferenceRule.Adadelta(1.0, 0.9, 1e-6, 0.01), ps => new Adadelta<float>(ps, 1.0, 0.9, 1e-6, 0.01)),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Compare_LibraryFloatOptimizer_AgreesOnEveryProblemFor200Steps(string name)
    {
        var (rule, create) = Library[name];

        var comparison = OptimizerHarness.Compare(rule, create, steps: 200);

        comparison.Should().MatchReference();
        comparison.Problems.Select(p => p.Steps).Should().Equal(200, 200, 200, 200);
    }

    [Fact]
    public void Compare_FloatAdamAtDoubleTolerance_Parts()
    {
        var (rule, create) = Library["Adam"];

        var comparison = OptimizerHarness.Compare(rule, create, tolerance: 1e-9);

        comparison.Passed.Should().BeFalse("float rounds w to 1.2e-7 of itself at every step, which a double tolerance sees");
    }

    [Fact]
    public void Compare_FloatAdamWithoutBiasCorrection_FailsNamingProblemStepAndElement()
    {
        var (rule, _) = Library["Adam"];

        var comparison = OptimizerHarness.Compare(rule, ps => new FloatAdamWithoutBiasCorrection(ps, 0.01));

        comparison.Problems.Should().OnlyContain(p => p.PartedAt == 1);
        var act = () => comparison.Should().MatchReference();
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().Contain("in float: each step taken by the rule in double from where the optimizer stands, to 1e-5 relative to max(1, |w|)");
        message.Should().MatchRegex(@"quadratic: parts from the reference at step 1, w\[\d\] = -?[\d.E+-]+ where the rule gives -?[\d.E+-]+");
        message.Should().MatchRegex(@"several parameters: parts from the reference at step 1, (weight\[\d, \d\]|bias\[\d\]|scale\[0\]) = ");
        message.Should().MatchRegex(@"\| +m̂\[\d\] \| +v̂\[\d\] \|");
    }

    [Fact]
    public void Compare_FloatOptimizerReturningTheLossAfterTheStep_SaysWhichStep()
    {
        var (rule, _) = Library["Sgd"];

        var comparison = OptimizerHarness.Compare(rule, ps => new SgdReturningLaterLoss(ps));

        comparison.ToString().Should().Contain("quadratic: step 1 returned ").And.Contain(" where the reference returns 17.5: Step must return what its first call of evaluate returned");
    }

    /// <summary>Plain gradient descent in float that evaluates again after its step and returns that loss.</summary>
    private sealed class SgdReturningLaterLoss(IReadOnlyList<Parameter<float>> parameters) : IOptimizer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => parameters;

        public double LearningRate { get; set; } = 1e-3;

        public float Step(Func<float> evaluate)
        {
            evaluate();
            foreach (var p in parameters)
                for (int i = 0; i < p.Length; i++) p.ValueSpan[i] -= (float)LearningRate * p.GradientSpan[i];
            return evaluate();
        }
    }
}
