using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

public class TrainerBehaviourTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Sequential<float> SpiralNetwork(int seed) =>
        Network.Sequential<float>(2).Dense(16, WeightInit.HeUniform).ReLU().Dense(16, WeightInit.HeUniform).ReLU().Dense(2).Build(seed);

    private static float[][] TrainAndCopyWeights(int weightSeed, int shuffleSeed)
    {
        var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 100, seed: 3);
        var network = SpiralNetwork(weightSeed);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));
        trainer.Fit(data, new TrainingOptions { Epochs = 5, BatchSize = 8, Seed = shuffleSeed }, cancellationToken: None);
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    [Fact]
    public void Fit_SameSeeds_GiveBitIdenticalWeights()
    {
        var first = TrainAndCopyWeights(weightSeed: 7, shuffleSeed: 11);
        var second = TrainAndCopyWeights(weightSeed: 7, shuffleSeed: 11);

        first.Should().HaveCount(6);
        for (int p = 0; p < first.Length; p++)
        {
            first[p].Should().HaveSameCount(second[p]);
            for (int i = 0; i < first[p].Length; i++)
                BitConverter.SingleToInt32Bits(first[p][i]).Should().Be(BitConverter.SingleToInt32Bits(second[p][i]), $"parameter {p}, element {i}");
        }
    }

    [Fact]
    public void Fit_DifferentShuffleSeeds_GiveDifferentWeights()
    {
        var first = TrainAndCopyWeights(weightSeed: 7, shuffleSeed: 11);
        var second = TrainAndCopyWeights(weightSeed: 7, shuffleSeed: 12);

        first[0].Should().NotEqual(second[0]);
    }

    [Fact]
    public void Fit_HugeLearningRate_ThrowsDivergedNamingEpochAndBatchAndKeepsLastGoodWeights()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 20, classes: 2, seed: 1);
        var regression = new Dataset<double>(data.Features, TensorMemory.Wrap(data.Targets.Span().ToArray(), [data.Count, 1]));
        var network = Network.Sequential<double>(2).Dense(8).Tanh().Dense(8).Dense(1).Build(seed: 2);
        var loss = new MeanSquaredError<double>();
        var trainer = new Trainer<double>(network, loss, new Sgd<double>(network.Parameters, learningRate: 1e200));

        var act = () => trainer.Fit(regression, new TrainingOptions { Epochs = 3, BatchSize = 10, Seed = 1 }, cancellationToken: None);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        thrown.Message.Should().Contain($"epoch {thrown.Epoch}, batch {thrown.Batch}");
        thrown.Epoch.Should().Be(1);
        thrown.Batch.Should().BeGreaterThan(1);
        thrown.WeightsRestored.Should().BeTrue();
        double.IsFinite(thrown.Loss).Should().BeFalse();
        foreach (var p in network.Parameters)
            p.ValueSpan.ToArray().Should().OnlyContain(v => double.IsFinite(v), $"{p.Name} must hold the last good weights");
        double.IsFinite(trainer.Evaluate(regression).Loss).Should().BeTrue("the restored weights are those of a step whose loss was finite");
    }

    [Fact]
    public void Fit_CancelledAfterSecondEpoch_HistoryHoldsTwoEpochs()
    {
        var data = SyntheticData.Xor<double>();
        var network = Network.Sequential<double>(2).Dense(4).Tanh().Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochReport>(report => { if (report.Epoch == 2) cancellation.Cancel(); });

        var act = () => trainer.Fit(data, new TrainingOptions { Epochs = 10, BatchSize = 2 }, progress: progress, cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        trainer.History.Epochs.Select(e => e.Epoch).Should().Equal(1, 2);
        trainer.History.Steps.Should().Be(4);
    }

    [Fact]
    public void Fit_Progress_ReceivesOneReportPerEpochInOrder()
    {
        var data = SyntheticData.Xor<double>();
        var network = Network.Sequential<double>(2).Dense(4).Tanh().Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        var reports = new List<EpochReport>();

        var history = trainer.Fit(data, new TrainingOptions { Epochs = 4, BatchSize = 3 }, validation: data,
            progress: new SynchronousProgress<EpochReport>(reports.Add), cancellationToken: None);

        reports.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4);
        reports.Should().OnlyContain(r => r.Epochs == 4 && r.ValidationAccuracy != null && r.TrainAccuracy != null);
        history.Epochs.Should().Equal(reports);
        history.Steps.Should().Be(8);
    }

    [Fact]
    public void Fit_LabelOutsideOutputRangeWithoutClassCount_ThrowsNamingLabel()
    {
        var features = TestTensors.Random<double>(1, 3, 2);
        var data = new Dataset<double>(features, TestTensors.Create([0.0, 1.0, 2.0], 3));
        var network = Network.Sequential<double>(2).Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));

        var act = () => trainer.Fit(data, new TrainingOptions { Shuffle = false, BatchSize = 3 }, cancellationToken: None);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label 2 of sample 2 is outside the class range [0, 2)*");
    }

    [Fact]
    public void Fit_BatchSizeZero_ThrowsNamingTheValue()
    {
        var network = Network.Sequential<double>(2).Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));

        var act = () => trainer.Fit(SyntheticData.Xor<double>(), new TrainingOptions { BatchSize = 0 }, cancellationToken: None);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Batch size must be positive, but was 0*");
    }

    [Fact]
    public void Fit_SamplesOfWrongShape_ThrowsNamingBothShapes()
    {
        var network = Network.Sequential<double>(3).Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));

        var act = () => trainer.Fit(SyntheticData.Xor<double>(), cancellationToken: None);

        act.Should().Throw<ShapeMismatchException>().WithMessage("*Sequential*train*[2]*[3]*");
    }

    [Fact]
    public void Fit_MoreClassesThanNetworkOutputs_ThrowsBeforeTraining()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 4, classes: 3, seed: 1);
        var network = Network.Sequential<double>(2).Dense(2).Build(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));

        var act = () => trainer.Fit(data, new TrainingOptions { Shuffle = false, BatchSize = 12 }, cancellationToken: None);

        act.Should().Throw<ArgumentException>().WithMessage("The train set has 3 classes but the network outputs 2 values per sample*");
        trainer.History.Steps.Should().Be(0);
    }
}
