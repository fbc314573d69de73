using NeuralNets.Testing;
using NeuralNets.Testing.Optimizers;

namespace Coursework.Tests;

/// <summary>Each optimizer runs beside the library's on the quadratic and Rosenbrock's function; a failure shows the first step where they part.</summary>
public class OptimizerTests
{
    [Fact]
    public void MomentumOptimizer_QuadraticAndRosenbrock_MatchesTheReference()
    {
        OptimizerHarness.Compare(ReferenceRule.Momentum(learningRate: 1e-3, gamma: 0.9), ps => new MomentumOptimizer(ps, 1e-3, 0.9)).Should().MatchReference();
    }

    [Fact]
    public void NesterovOptimizer_QuadraticAndRosenbrock_MatchesTheReference()
    {
        OptimizerHarness.Compare(ReferenceRule.Nesterov(learningRate: 1e-3, gamma: 0.9), ps => new NesterovOptimizer(ps, 1e-3, 0.9)).Should().MatchReference();
    }

    [Fact]
    public void AdagradOptimizer_QuadraticAndRosenbrock_MatchesTheReference()
    {
        OptimizerHarness.Compare(ReferenceRule.Adagrad(learningRate: 0.1, epsilon: 1e-10), ps => new AdagradOptimizer(ps, 0.1, 1e-10)).Should().MatchReference();
    }

    [Fact]
    public void AdamOptimizer_QuadraticAndRosenbrock_MatchesTheReference()
    {
        OptimizerHarness.Compare(ReferenceRule.Adam(learningRate: 0.01), ps => new AdamOptimizer(ps, 0.01, 0.9, 0.999, 1e-8)).Should().MatchReference();
    }
}
