using NeuralNets.Optimizers;
using NeuralNets.Testing.Optimizers;
using NeuralNets.Testing.Tests.Optimizers.Students;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>
/// ε's place is the classic slip in Adam and RMSprop, and at the default ε = 1e-8 it changes a step on gradients of
/// order one by about 1e-8 of itself: only a problem whose gradients are near ε shows it.
/// </summary>
public class TinyGradientsTests
{
    [Fact]
    public void MatchReference_AdamWithEpsilonInsideTheRoot_FailsOnTinyGradients()
    {
        var comparison = OptimizerHarness.Compare(ReferenceRule.Adam(0.01), ps => new AdamEpsilonInsideRoot(ps, 0.01));

        var act = () => comparison.Should().MatchReference();

        act.Should().Throw<Exception>().WithMessage("*tiny gradients*");
        comparison.Problems.Single(p => p.Problem == "quadratic").Agrees.Should().BeTrue("at gradients of order one the two places of ε differ by rounding");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchReference_LibraryAdamAndRmsProp_PassOnTinyGradients(bool single)
    {
        if (single)
        {
            OptimizerHarness.Compare(ReferenceRule.Adam(0.01), ps => new Adam<float>(ps, 0.01)).Should().MatchReference();
            OptimizerHarness.Compare(ReferenceRule.RmsProp(0.01), ps => new RmsProp<float>(ps, 0.01)).Should().MatchReference();
        }
        else
        {
            OptimizerHarness.Compare(ReferenceRule.Adam(0.01), ps => new Adam<double>(ps, 0.01)).Should().MatchReference();
            OptimizerHarness.Compare(ReferenceRule.RmsProp(0.01), ps => new RmsProp<double>(ps, 0.01)).Should().MatchReference();
        }
    }

    [Fact]
    public void TinyGradients_IsTheQuadraticScaledBy1e8()
    {
        var tiny = OptimizerProblem.TinyGradients();
        var plain = OptimizerProblem.Quadratic();
        double[] w = [0.3, -0.2, 0.7];
        tiny.Loss(w).Should().BeApproximately(1e-8 * plain.Loss(w), 1e-22);
        tiny.Gradient(w).Should().Equal(plain.Gradient(w).Select(g => 1e-8 * g), (x, y) => Math.Abs(x - y) <= 1e-22);
    }
}
