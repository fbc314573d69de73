using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Optimizers.Students;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>Adadelta's reference rule: a student's Adadelta written right matches it, and the usual slips fail at the step and element where they show.</summary>
public class AdadeltaMistakeTests
{
    private static readonly ReferenceRule Adadelta = ReferenceRule.Adadelta(learningRate: 1.0, rho: 0.9, epsilon: 1e-6);

    private static string MatchReferenceMessage(OptimizerComparison comparison)
    {
        var act = () => comparison.Should().MatchReference();
        return act.Should().Throw<Exception>().Which.Message;
    }

    [Fact]
    public void MatchReference_AdadeltaWrittenRight_Passes()
    {
        OptimizerHarness.Compare(Adadelta, ps => new StudentAdadelta(ps, 1.0)).Should().MatchReference();
    }

    [Fact]
    public void MatchReference_AdadeltaWithAveragesSwapped_FailsAtStepOneNamingTheElement()
    {
        var comparison = OptimizerHarness.Compare(Adadelta, ps => new AdadeltaSwappingAverages(ps, 1.0));

        // With gradients near 1e-8 both averages are far below ε = 1e-6, so swapping them changes a step by rounding only.
        comparison.Problems.Where(p => p.Problem != "tiny gradients").Should().OnlyContain(p => p.PartedAt == 1);
        var message = MatchReferenceMessage(comparison);
        message.Should().MatchRegex(@"quadratic: parts from the reference at step 1, w\[\d\] = -?[\d.E+-]+ where the rule gives -?[\d.E+-]+");
        message.Should().MatchRegex(@"several parameters: parts from the reference at step 1, (weight\[\d, \d\]|bias\[\d\]|scale\[0\]) = ");
        message.Should().Contain("Adadelta (η = 1, ρ = 0.9, ε = 1e-6): v ← ρ·v + (1 − ρ)·g²; Δ = √(u + ε)/√(v + ε)·g; u ← ρ·u + (1 − ρ)·Δ²; w ← w − η·Δ");
        message.Should().MatchRegex(@"\| +v\[\d\] \| +Δ\[\d\] \| +u\[\d\] \|");
    }

    [Fact]
    public void MatchReference_AdadeltaWithEpsilonOutsideTheRoots_FailsAtStepOneNamingTheElement()
    {
        var comparison = OptimizerHarness.Compare(Adadelta, ps => new AdadeltaEpsilonOutsideRoot(ps, 1.0));

        comparison.Problems.Should().OnlyContain(p => p.PartedAt == 1);
        var parting = comparison.Problems[1];
        // By the rule at step 1, u = 0: Δ = √ε/√(v + ε)·g ≈ 1e-3·g/√v; with ε outside, ε/√v·g is a thousand times smaller.
        var row = parting.Rows[0];
        Math.Abs(row.Actual[parting.Element] - row.Rule.W[parting.Element]).Should().BeLessThan(1e-3 * Math.Abs(row.Rule.Next[parting.Element] - row.Rule.W[parting.Element]));
        MatchReferenceMessage(comparison).Should().MatchRegex(@"Rosenbrock: parts from the reference at step 1, w\[[01]\] = ");
    }

    [Fact]
    public void Adadelta_WithWeightDecay_WritesTheDecayIntoFormulaAndHyperparameters()
    {
        var rule = ReferenceRule.Adadelta(0.5, 0.95, 1e-7, weightDecay: 0.01);

        rule.ToString().Should().Be("Adadelta (η = 0.5, ρ = 0.95, ε = 1e-7, λ = 0.01)");
        rule.Formula.Should().StartWith("g ← g + λ·w; v ← ρ·v");
    }
}
