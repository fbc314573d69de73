using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Training;

namespace NeuralNets.Tests.Schedules;

/// <summary>A schedule whose rate reaches 0 (in the optimizer's type) fails before training, naming itself and the epoch.</summary>
public class SchedulePlanTests
{
    [Fact]
    public void Fit_FloatRateDecayingToZeroWithinThePlan_ThrowsBeforeTheFirstStep()
    {
        // 0.1 · 0.5^(e − 1) drops below float's smallest positive value (1.4e−45) at epoch 147.
        var data = SyntheticData.Xor<float>();
        var network = Network.Sequential<float>(2).Dense(4).Tanh().Dense(2).Build(seed: 1);
        var start = network.Parameters[0].ValueSpan.ToArray();
        var sgd = new Sgd<float>(network.Parameters, 0.1);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), sgd);
        var schedule = new ExponentialDecay(initialRate: 0.1, gamma: 0.5);

        var act = () => trainer.Fit(data, new TrainingOptions { Epochs = 200, OnEpochStart = schedule.ApplyTo(sgd) }, cancellationToken: CancellationToken.None);

        act.Should().Throw<ArgumentException>()
            .WithMessage("ExponentialDecay(initialRate=0.1, gamma=0.5) gives the learning rate * at epoch 1??, which is 0 as Single*");
        trainer.History.Steps.Should().Be(0);
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(start);
    }

    [Fact]
    public void Fit_SameScheduleInDoubleOrWithinThePlan_Trains()
    {
        var data = SyntheticData.Xor<float>();
        var network = Network.Sequential<float>(2).Dense(4).Tanh().Dense(2).Build(seed: 1);
        var sgd = new Sgd<float>(network.Parameters, 0.1);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), sgd);
        var schedule = new ExponentialDecay(initialRate: 0.1, gamma: 0.5);

        trainer.Fit(data, new TrainingOptions { Epochs = 100, OnEpochStart = schedule.ApplyTo(sgd) }, cancellationToken: CancellationToken.None)
            .Epochs.Should().HaveCount(100);
    }

    [Fact]
    public void ApplyTo_StepDecayReachingZeroInDouble_NamesScheduleAndEpoch()
    {
        var sgd = new Sgd<double>([new Parameter<double>("w", 2)], 0.1);
        var apply = new StepDecay(initialRate: 1, stepSize: 1, gamma: 1e-200).ApplyTo(sgd);

        apply(2);
        var act = () => apply(3);

        act.Should().Throw<ArgumentException>().WithMessage("StepDecay(initialRate=1, stepSize=1, gamma=1E-200) gives the learning rate 0 at epoch 3*");
        sgd.LearningRate.Should().Be(1e-200, "the rate of the last good epoch stays");
    }
}
