namespace NeuralNets.Tests.Integration;

/// <summary>The networks README.md shows must build as written.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Build_ReadmeLeNet_InfersEveryShape()
    {
        var cnn = Network.Sequential<float>(1, 28, 28)
            .Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2)
            .Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10)
            .Build(seed: 42);
        cnn.OutputShapeOfNetwork.Should().Equal(10);
        cnn.OutputShape([1, 28, 28]).Should().Equal(10);
        cnn.Layers[7].ToString().Should().Be("Dense(400 → 120)");
        cnn.Predict(TestTensors.Random<float>(1, 2, 1, 28, 28)).Lengths.ToArray().Should().Equal(2, 10);
    }
}
