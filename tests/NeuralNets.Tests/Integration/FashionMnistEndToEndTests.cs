using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// Real data: Fashion-MNIST from the Debian package <c>dataset-fashion-mnist</c>. CI installs it;
/// these tests skip only where the package is absent.
/// </summary>
public class FashionMnistEndToEndTests
{
    private static void SkipUnlessInstalled() =>
        Assert.SkipUnless(Directory.Exists(FashionMnist.DefaultDirectory),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultDirectory} (apt-get install -y dataset-fashion-mnist).");

    [Fact]
    public void Load_TestSet_HasTenBalancedClassesAndUnitPixels()
    {
        SkipUnlessInstalled();

        var test = FashionMnist.Load<float>(FashionMnist.DefaultDirectory, train: false);

        test.Count.Should().Be(10_000);
        test.SampleShape.Should().Equal(1, 28, 28);
        var counts = new int[10];
        foreach (float label in test.Targets.Span()) counts[(int)label]++;
        counts.Should().AllBeEquivalentTo(1000);
        var pixels = test.Features.Span();
        float min = float.MaxValue, max = float.MinValue;
        foreach (float p in pixels) { min = Math.Min(min, p); max = Math.Max(max, p); }
        min.Should().Be(0f);
        max.Should().Be(1f);
    }

    [Fact]
    public void Fit_MlpOneEpochOnFullTrainingSet_ScoresAtLeast82Percent()
    {
        SkipUnlessInstalled();
        var train = FashionMnist.Load<float>(FashionMnist.DefaultDirectory, train: true, flatten: true);
        var test = FashionMnist.Load<float>(FashionMnist.DefaultDirectory, train: false, flatten: true);
        var network = Network.Sequential<float>(784)
            .Dense(128, WeightInit.HeUniform).ReLU()
            .Dense(10, WeightInit.HeUniform)
            .Build(seed: 42);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, learningRate: 0.1));

        trainer.Fit(train, new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var result = trainer.Evaluate(test);

        train.Count.Should().Be(60_000);
        result.Accuracy.Should().BeGreaterThanOrEqualTo(0.82);
    }
}
