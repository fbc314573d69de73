using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class RosenbrockTests
{
    [Fact]
    public void AdamStep_RosenbrockFromMinus1_2And1_GetsClose()
    {
        var f = new Rosenbrock<double>();
        var optimizer = new Adam<double>([f.P], learningRate: 0.02);
        for (int step = 0; step < 4000; step++) optimizer.Step(f.Evaluate);
        // Adam has no curvature model, so it is not expected to match L-BFGS's 1e-4 in few evaluations; 4000 steps get it within 1e-3.
        f.X.Should().BeApproximately(1, 1e-3);
        f.Y.Should().BeApproximately(1, 1e-3);
    }
}
