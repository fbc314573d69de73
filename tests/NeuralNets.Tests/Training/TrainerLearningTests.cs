using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

public class TrainerLearningTests
{
    [Fact]
    public void Fit_XorFloat_ClassifiesAllFourPoints() => XorIsLearned<float>();

    [Fact]
    public void Fit_XorDouble_ClassifiesAllFourPoints() => XorIsLearned<double>();

    [Fact]
    public void Fit_TwoSpiralsFloat_ReachesHighTestAccuracy() => SpiralsAreLearned<float>();

    [Fact]
    public void Fit_TwoSpiralsDouble_ReachesHighTestAccuracy() => SpiralsAreLearned<double>();

    private static void XorIsLearned<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = SyntheticData.Xor<T>();
        var network = Network.Sequential<T>(2).Dense(8).Tanh().Dense(2).Build(seed: 1);
        var trainer = new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), new Sgd<T>(network.Parameters, learningRate: 0.5));

        var history = trainer.Fit(data, new TrainingOptions { Epochs = 300, BatchSize = 4, Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        trainer.Evaluate(data).Accuracy.Should().Be(1.0);
        history.Last!.TrainLoss.Should().BeLessThan(0.1 * history.Epochs[0].TrainLoss);
    }

    private static void SpiralsAreLearned<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (train, test) = SyntheticData.TwoSpirals<T>(pointsPerClass: 300, noise: 0.03, turns: 1.25, seed: 5).Split(0.25, seed: 5);
        var network = Network.Sequential<T>(2)
            .Dense(32, WeightInit.HeUniform).ReLU()
            .Dense(32, WeightInit.HeUniform).ReLU()
            .Dense(2)
            .Build(seed: 42);
        var trainer = new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), new Sgd<T>(network.Parameters, learningRate: 0.1));

        trainer.Fit(train, new TrainingOptions { Epochs = 150, BatchSize = 16, Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        trainer.Evaluate(test).Accuracy.Should().BeGreaterThanOrEqualTo(0.95);
    }
}
