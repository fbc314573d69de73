using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Optimizers.Students;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>RMSprop's reference rule: the library's RmsProp in every setting and a student's RMSprop written right match it; ε inside the root fails.</summary>
public class RmsPropMistakeTests
{
    public static TheoryData<double, double, bool> Settings => new()
    {
        { 0, 0, false },
        { 0.01, 0, false },
        { 0, 0.9, false },
        { 0, 0, true },
        { 0.01, 0.9, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Compare_LibraryRmsPropWithTheRule_AgreesOnEveryProblem(double weightDecay, double momentum, bool centered)
    {
        var rule = ReferenceRule.RmsProp(1e-3, 0.99, 1e-8, weightDecay, momentum, centered);

        var comparison = OptimizerHarness.Compare(rule, ps => new RmsProp<double>(ps, 1e-3, 0.99, 1e-8, weightDecay, momentum, centered), steps: 50);

        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void Compare_FloatLibraryRmsProp_AgreesOnEveryProblem()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.RmsProp(1e-3), ps => new RmsProp<float>(ps, 1e-3));

        comparison.Passed.Should().BeTrue(comparison.ToString());
    }

    [Fact]
    public void MatchReference_RmsPropWrittenRight_Passes()
    {
        OptimizerHarness.Compare(ReferenceRule.RmsProp(1e-3), ps => new StudentRmsProp(ps, 1e-3)).Should().MatchReference();
    }

    [Fact]
    public void MatchReference_RmsPropWithEpsilonInsideTheRoot_Fails()
    {
        // ε = 0.01 makes the slip show at step 1: √(v + ε) against √v + ε, with v = (1 − α)·g² small at the start.
        var comparison = OptimizerHarness.Compare(ReferenceRule.RmsProp(1e-3, epsilon: 0.01), ps => new RmsPropEpsilonInsideRoot(ps, 1e-3, 0.01));

        var act = () => comparison.Should().MatchReference();

        act.Should().Throw<Exception>().Which.Message.Should().MatchRegex(@"quadratic: parts from the reference at step 1, w\[\d\] = ");
    }

    [Fact]
    public void RmsProp_WithEveryOption_WritesThemIntoFormulaAndHyperparameters()
    {
        var rule = ReferenceRule.RmsProp(0.01, 0.9, 1e-6, weightDecay: 0.1, momentum: 0.5, centered: true);

        rule.ToString().Should().Be("RMSprop (η = 0.01, α = 0.9, ε = 1e-6, λ = 0.1, μ = 0.5, centered)");
        rule.Formula.Should().Be("g ← g + λ·w; v ← α·v + (1 − α)·g²; ḡ ← α·ḡ + (1 − α)·g; d = √(v − ḡ²) + ε; b ← μ·b + g/d; w ← w − η·b");
        rule.StateSymbols.Should().Equal("v", "ḡ", "b");
    }
}
