using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>Convolution layers put together by the builder, checked and trained end to end.</summary>
public class ConvNetTests
{
    [Fact]
    public void Build_DesignCardNetwork_InfersEveryShape()
    {
        var network = Network.Sequential<float>(inputShape: [1, 28, 28]).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2).Flatten().Dense(10).Build(seed: 42);
        network.Layers.Select(l => l.ToString()).Should().Equal(
            "Conv2D(1 → 6, 5×5, stride 1, padding 2)", "ReLU()", "MaxPool2D(2×2, stride 2)", "Flatten()", "Dense(1176 → 10)");
        network.OutputShapeOfNetwork.Should().Equal(10);
        network.ParameterCount.Should().Be(6 * 25 + 6 + 1176 * 10 + 10);
        network.Forward(TestTensors.Random<float>(0, 3, 1, 28, 28), training: false).Lengths.ToArray().Should().Equal(3, 10);
    }

    [Fact]
    public void Build_RectangularLayers_TakeChannelsFromThePreviousLayer()
    {
        var network = Network.Sequential<double>(3, 10, 12)
            .Conv2D(4, kernel: (3, 5), stride: (1, 2), padding: (1, 0)).ReLU()
            .AvgPool2D((2, 1)).Conv2D(2, kernel: 3).Flatten().Dropout(0.5).Dense(3).Build(seed: 1);
        var conv = network.Layers[3].Should().BeOfType<Conv2D<double>>().Subject;
        conv.InChannels.Should().Be(4);
        network.OutputShape([3, 10, 12]).Should().Equal(3);
        IReadOnlyList<int> shape = [3, 10, 12];
        foreach (var layer in network.Layers.Take(4)) shape = layer.OutputShape(shape);
        shape.Should().Equal(2, 3, 2);
    }

    [Fact]
    public void Build_KernelLargerThanPaddedInput_NamesLayerAndShapes()
    {
        var builder = Network.Sequential<float>(1, 8, 8).Conv2D(4, kernel: 5).ReLU().MaxPool2D(2).Conv2D(8, kernel: 3);
        var act = () => builder.Build(seed: 0);
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("*Conv2D(4 → 8, 3×3, stride 1, padding 0)*[4, H, W]*[4, 2, 2]*3×3 kernel is larger than the padded 2×2 input*");
    }

    [Fact]
    public void Build_ConvolutionOnFlatInput_SaysImagesAreNeeded()
    {
        var act = () => Network.Sequential<float>(784).Conv2D(6, kernel: 5).Build(seed: 0);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Conv2D*[C, H, W]*[784]*input shape like [1, 28, 28]*");
    }

    [Fact]
    public void Builder_InvalidSettings_FailAtTheCall()
    {
        var builder = Network.Sequential<float>(1, 8, 8);
        ((Action)(() => builder.Conv2D(4, kernel: 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => builder.MaxPool2D(2, padding: 2))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => builder.Dropout(1.5))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1.5*");
    }

    [Fact]
    public void Backward_SmallConvNet_MatchesFiniteDifferences()
    {
        var network = Network.Sequential<double>(2, 7, 6)
            .Conv2D(3, kernel: 3, padding: 1).Tanh().MaxPool2D(2)
            .Conv2D(2, kernel: (2, 1), stride: (1, 2)).Sigmoid().AvgPool2D(2, stride: 1)
            .Flatten().Dense(3).Build(seed: 3);
        var x = TestTensors.Random<double>(4, 2, 2, 7, 6);
        var y = TestTensors.Create(new double[] { 2, 0 }, 2);
        // Derivatives below the floor 1e-4 are compared absolutely: there the central difference is mostly rounding.
        var result = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), x, y, epsilon: 1e-5, floor: 1e-4);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Fit_HorizontalVersusVerticalBars_LearnsToTellThemApart()
    {
        var train = Bars(count: 400, seed: 1);
        var test = Bars(count: 200, seed: 2);
        var network = Network.Sequential<float>(1, 8, 8)
            .Conv2D(4, kernel: 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(2).Build(seed: 42);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, learningRate: 0.1));
        double before = trainer.Evaluate(test).Accuracy!.Value;
        trainer.Fit(train, new TrainingOptions { Epochs = 15, BatchSize = 16, Seed = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        double after = trainer.Evaluate(test).Accuracy!.Value;
        before.Should().BeLessThan(0.8);
        after.Should().BeGreaterThanOrEqualTo(0.97);
    }

    public static TheoryData<string> ImageLayers => new() { "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "Dropout" };

    [Theory]
    [MemberData(nameof(ImageLayers))]
    public void ForwardBackward_AfterWarmUp_AllocatesNothing(string kind)
    {
        ILayer<float> layer = kind switch
        {
            "Conv2D" => new Conv2D<float>(3, 4, kernel: 3, seed: 1, padding: 1),
            "MaxPool2D" => new MaxPool2D<float>(2),
            "AvgPool2D" => new AvgPool2D<float>(3, stride: 2, padding: 1),
            "Flatten" => new Flatten<float>(),
            _ => new Dropout<float>(0.5, seed: 1),
        };
        var x = TestTensors.Random<float>(1, 8, 3, 10, 10);
        var g = TestTensors.Random<float>(2, [8, .. layer.OutputShape([3, 10, 10])]);
        for (int i = 0; i < 2; i++) layer.Backward(layer.Forward(x, training: true));
        ThreadAllocation.LeastOf(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                layer.Forward(x, training: true);
                layer.Backward(g);
            }
        }).Should().Be(0);
    }

    /// <summary>8×8 noisy images with one bar of length 4–8, horizontal (class 0) or vertical (class 1), anywhere.</summary>
    private static Dataset<float> Bars(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 64];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            var image = pixels.AsSpan(n * 64, 64);
            for (int i = 0; i < 64; i++) image[i] = (float)(random.NextDouble() * 0.4 - 0.2);
            int label = random.Next(2), length = random.Next(4, 9), start = random.Next(0, 9 - length), line = random.Next(8);
            for (int t = start; t < start + length; t++) image[label == 0 ? line * 8 + t : t * 8 + line] += 1;
            labels[n] = label;
        }
        return Dataset<float>.FromLabels(TestTensors.Create(pixels, count, 1, 8, 8), labels, classCount: 2);
    }
}
