using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

/// <summary>
/// A batch normalisation that sees one position per channel cannot train on a batch of one sample; Fit refuses a batch
/// size that gives one before the first step, where it once failed at the first epoch's last batch, after the epoch's work.
/// </summary>
public class BatchNormSingleSampleBatchTests
{
    private static Dataset<double> Samples(int count, params int[] sampleShape) =>
        Dataset<double>.FromLabels(TestTensors.Random<double>(5, [count, .. sampleShape]), Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 2);

    [Theory]
    [InlineData(4)]   // 9 = 4 + 4 + 1
    [InlineData(1)]
    public void ABatchOfOneSample_IntoBatchNorm1D_IsRefusedBeforeTheFirstStep(int batchSize)
    {
        var network = Network.Sequential<double>(4).Dense(6).BatchNorm1D().ReLU().Dense(2).Build(seed: 1);
        var before = network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        var act = () => trainer.Fit(Samples(9, 4), new TrainingOptions { Epochs = 1, BatchSize = batchSize }, cancellationToken: TestContext.Current.CancellationToken);
        act.Should().Throw<ArgumentException>().WithMessage("*BatchNorm*batch of one sample*at least 2 samples*");
        network.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void BatchesOfTwoOrMore_Train()
    {
        var network = Network.Sequential<double>(4).Dense(6).BatchNorm1D().ReLU().Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        trainer.Fit(Samples(9, 4), new TrainingOptions { Epochs = 1, BatchSize = 3 }, cancellationToken: TestContext.Current.CancellationToken).Steps.Should().Be(3);
    }

    [Fact]
    public void ALastBatchOfOneImage_IntoBatchNorm2D_TrainsOnItsPositions()
    {
        var network = Network.Sequential<double>(1, 4, 4).Conv2D(2, 3, padding: 1).BatchNorm2D().ReLU().Flatten().Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        trainer.Fit(Samples(5, 1, 4, 4), new TrainingOptions { Epochs = 1, BatchSize = 2 }, cancellationToken: TestContext.Current.CancellationToken).Steps.Should().Be(3);
    }
}
