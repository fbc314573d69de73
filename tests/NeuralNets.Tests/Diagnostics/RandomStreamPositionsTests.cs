using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

public class RandomStreamPositionsTests
{
    [Fact]
    public void Restore_AfterTrainingPasses_MakesTheNextPassDrawTheSameMasks()
    {
        var network = new Sequential<double>([6], new Dense<double>(6, 6, seed: 1), new Sequential<double>([6], new Dropout<double>(0.5, 2)), new Dropout<double>(0.5, 3));
        var input = TestTensors.Random<double>(1, 4, 6);
        var positions = RandomStreamPositions.Capture(network);

        var first = network.Forward(input, training: true).ToArray();
        var drawnOn = network.Forward(input, training: true).ToArray();
        positions.Restore();
        var again = network.Forward(input, training: true).ToArray();

        positions.Count.Should().Be(2);
        drawnOn.Should().NotEqual(first, "the streams moved on");
        again.Should().Equal(first);
    }

    [Fact]
    public void Capture_LayerThatDrawsNothing_HoldsNoStreams()
    {
        RandomStreamPositions.Capture(new Dense<float>(2, 2, seed: 1)).Count.Should().Be(0);
    }
}
