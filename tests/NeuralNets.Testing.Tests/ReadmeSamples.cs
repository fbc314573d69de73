// README's "Checking coursework" samples, compiled and run as written: ReadmeSampleTests checks that each ```csharp block
// of that section stands here verbatim, so the README cannot drift from code that builds.
using System.Numerics.Tensors;
using NeuralNets.Diagnostics;          // GradientCheck
using NeuralNets.Testing;              // Should() for a layer, a gradient check, an optimizer comparison
using NeuralNets.Testing.Optimizers;   // OptimizerHarness, ReferenceRule

namespace Coursework.Tests;

public class ExampleTests
{
    [Fact]
    public void DenseLayer_Always_SatisfiesTheLayerContract()
    {
        new DenseLayer(4, 3, seed: 1).Should().SatisfyLayerContract([4]);   // every rule a layer must keep
    }

    [Fact]
    public void SoftmaxCrossEntropyLossBackward_FourSamples_MatchesCentralDifferences()
    {
        var logits = Tensor.Create(new double[] { 2, -1, 0.5, 0, 1, -2, -0.5, 3, 1, 1.5, -1, 0.2 }, [4, 3]);
        var labels = Tensor.Create(new double[] { 0, 2, 1, 2 }, [4]);   // the class of each sample
        GradientCheck.Loss(new SoftmaxCrossEntropyLoss(), logits, labels).Should().Pass(1e-6);
    }

    [Fact]
    public void NesterovOptimizer_ThreeProblems_MatchesTheReference()
    {
        OptimizerHarness.Compare(ReferenceRule.Nesterov(learningRate: 1e-3, gamma: 0.9),
                                 ps => new NesterovOptimizer(ps, 1e-3, 0.9)).Should().MatchReference();
    }
}

/// <summary>README's Trace sample, run: the table has a row for each step.</summary>
public class TraceExampleTests
{
    [Fact]
    public void Trace_MomentumOnTheQuadratic_GivesARowPerStep()
    {
        var problem = OptimizerProblem.Quadratic();
        var optimizer = new MomentumOptimizer(problem.Parameters, 0.01, 0.9);
        string table = optimizer.Trace(steps: 5, problem, ReferenceRule.Momentum(0.01, 0.9));

        table.Split('\n').Should().Contain(line => line.StartsWith("| 5 |", StringComparison.Ordinal), table);
    }
}
