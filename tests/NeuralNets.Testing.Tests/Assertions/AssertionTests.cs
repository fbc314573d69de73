using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Assertions;

public class AssertionTests
{
    [Fact]
    public void SatisfyLayerContract_LibraryDenseWithoutAShape_PassesAndWritesTheReportToTheTestOutput()
    {
        new Dense<double>(4, 3, seed: 1).Should().SatisfyLayerContract();

        TestContext.Current.TestOutputHelper!.Output.Should().Contain("Dense(4 → 3) with samples of shape [4]: keeps the layer contract");
    }

    [Fact]
    public void SatisfyLayerContract_WithBecause_PutsTheReasonInTheMessage()
    {
        var act = () => new StudentDense(3, 2, seed: 7, Mistake.Overwrites).Should().SatisfyLayerContract([3], null, "gradients of {0} passes must add up", 2);

        act.Should().Throw<Exception>().Which.Message.Should().StartWith("Expected the layer to satisfy the layer contract because gradients of 2 passes must add up, but StudentDense(3 → 2)");
    }

    [Fact]
    public void Pass_CorrectLayer_Passes()
    {
        GradientCheck.Layer(new StudentDense(3, 2, seed: 7), ContractTensors.Random(1, [2, 3])).Should().Pass(1e-6);
    }

    [Fact]
    public void SampleShapeFor_ConvolutionAndActivation_ComesFromTheDescription()
    {
        LayerContract.SampleShapeFor(new Conv2D<double>(2, 3, (3, 3), new Random(1), (1, 1), (0, 0))).Should().Equal(2, 6, 6);
        LayerContract.SampleShapeFor(new Tanh<double>()).Should().Equal(4);
    }
}
