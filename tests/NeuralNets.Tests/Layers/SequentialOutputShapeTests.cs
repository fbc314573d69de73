using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A network that knows its input shape answers OutputShape for that shape only, as Forward accepts that shape only: it
/// once computed an answer for any shape its layers accepted, so a check built on OutputShape passed an input that
/// Forward then refused.
/// </summary>
public class SequentialOutputShapeTests
{
    [Fact]
    public void OutputShape_OfAnotherShape_IsRefusedAsForwardRefusesIt()
    {
        var network = Network.Sequential<double>(1, 8, 8).Conv2D(2, 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(3).Build(seed: 1);
        network.OutputShape([1, 8, 8]).Should().Equal(3);
        var act = () => network.OutputShape([1, 8, 9]);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*[1, 8, 9]*");
        var forward = () => network.Forward(TestTensors.Random<double>(1, 2, 1, 8, 9), training: false);
        forward.Should().Throw<ShapeMismatchException>();
    }

    [Fact]
    public void OutputShape_OfANetworkWithoutAnInputShape_FollowsItsLayers()
    {
        var network = new Sequential<double>(new Dense<double>(4, 3, seed: 1), new ReLU<double>());
        network.OutputShape([4]).Should().Equal(3);
    }

    [Fact]
    public void ANestedNetwork_WhoseInputShapeDiffersFromWhatReachesIt_IsRefusedWhenTheOuterOneIsBuilt()
    {
        var inner = new Sequential<double>([5], new Dense<double>(5, 2, seed: 1));
        var build = () => new Sequential<double>([4], new Dense<double>(4, 6, seed: 2), inner);
        build.Should().Throw<ShapeMismatchException>();
    }
}
