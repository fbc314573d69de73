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

    [Fact]
    public void Build_ReadmeBasicBlock_ProjectsTheShortcut()
    {
        var resnet = Network.Sequential<float>(3, 32, 32).Conv2D(16, 3, padding: 1, bias: false).BatchNorm2D().ReLU()
            .Residual(b => b.Conv2D(32, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(32, 3, padding: 1, bias: false).BatchNorm2D(),
                shortcut: s => s.Conv2D(32, 1, stride: 2, bias: false).BatchNorm2D()).ReLU()
            .GlobalAvgPool2D().Dense(10).Build(seed: 1);
        resnet.Layers[3].OutputShape([16, 32, 32]).Should().Equal(32, 16, 16);
        resnet.Predict(TestTensors.Random<float>(1, 2, 3, 32, 32)).Lengths.ToArray().Should().Equal(2, 10);
        NeuralNets.Interop.PyTorchNames.ForModules(resnet, "conv1", "bn1", "layer1.0", "fc").Should().ContainKeys(
            "layer1.0.conv1.weight", "layer1.0.bn2.running_var", "layer1.0.downsample.0.weight", "layer1.0.downsample.1.running_mean");
    }

    [Fact]
    public void Build_ReadmeMnistExample_IsPyTorchsNetLayerForLayer()
    {
        // pytorch/examples mnist/main.py: conv1, conv2, max_pool2d, dropout1, flatten, fc1, dropout2, fc2, log_softmax.
        var net = Network.Sequential<float>(1, 28, 28).Conv2D(32, kernel: 3).ReLU().Conv2D(64, kernel: 3).ReLU().MaxPool2D(2).Dropout(0.25).Flatten().Dense(128).ReLU().Dropout(0.5).Dense(10).LogSoftmax()
            .Build(seed: 1);
        net.Layers[7].ToString().Should().Be("Dense(9216 → 128)");
        net.Parameters.Sum(p => p.Length).Should().Be(1_199_882, "the example's parameter count");
        var probabilities = net.Predict(TestTensors.Random<float>(1, 2, 1, 28, 28)).ToArray().Select(v => Math.Exp(v));
        probabilities.Sum().Should().BeApproximately(2, 1e-5, "two samples' log-probabilities");
    }
}
