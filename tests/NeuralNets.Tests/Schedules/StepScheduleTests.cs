using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Training;

namespace NeuralNets.Tests.Schedules;

public class StepScheduleTests
{
    [Fact]
    public void OneCycle_ChosenSteps_EqualPyTorchsOneCycleLR()
    {
        // max_lr 1, total_steps 10, pct_start 0.3, div_factor 25, final_div_factor 1e4: initial 0.04, final 4e−6;
        // phase ends e₁ = 0.3·10 − 1 = 2, e₂ = 9; cos(a, b, t) = b + (a − b)/2·(1 + cos πt).
        var schedule = new OneCycle(maxRate: 1, totalSteps: 10);

        schedule.LearningRate(1).Should().Be(1 + (0.04 - 1) / 2.0 * 2, "PyTorch's expression at t = 0, which rounds to 0.04 + 3.5e−17 in double");
        schedule.LearningRate(2).Should().BeApproximately(0.52, 1e-15, "halfway up: 1 + (0.04 − 1)/2·(1 + cos π/2)");
        schedule.LearningRate(3).Should().Be(1);
        schedule.LearningRate(4).Should().BeApproximately(4e-6 + (1 - 4e-6) / 2 * (1 + Math.Cos(Math.PI / 7)), 1e-15);
        schedule.LearningRate(10).Should().BeApproximately(4e-6, 1e-20);
    }

    [Fact]
    public void OneCycle_StepBeyondThePlan_ThrowsAsPyTorchDoes()
    {
        var act = () => new OneCycle(maxRate: 1, totalSteps: 10).LearningRate(11);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*planned for 10 steps, but step 11*");
    }

    [Fact]
    public void LinearWarmup_RisesOnAStraightLineThenHolds()
    {
        // PyTorch's LinearLR closed form: η·(1/3 + 2/3·min(s − 1, 4)/4).
        var schedule = new LinearWarmup(targetRate: 0.3, warmupSteps: 4);

        schedule.LearningRate(1).Should().BeApproximately(0.1, 1e-16);
        schedule.LearningRate(2).Should().BeApproximately(0.15, 1e-16);
        schedule.LearningRate(3).Should().BeApproximately(0.2, 1e-16);
        schedule.LearningRate(5).Should().Be(0.3);
        schedule.LearningRate(1000).Should().Be(0.3);
    }

    [Fact]
    public void Fit_OnStepStart_SetsTheRateBeforeEveryStep()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 10, seed: 1);   // 30 samples in 8s: 4 steps an epoch
        var network = Network.Sequential<double>(2).Dense(3).Build(seed: 1);
        var sgd = new Sgd<double>(network.Parameters, 0.1);
        var schedule = new OneCycle(maxRate: 0.5, totalSteps: 12);

        var history = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), sgd)
            .Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 8, OnStepStart = schedule.ApplyTo(sgd) }, cancellationToken: CancellationToken.None);

        history.Epochs.Select(e => e.LearningRate).Should().Equal(schedule.LearningRate(4), schedule.LearningRate(8), schedule.LearningRate(12));
    }

    [Fact]
    public void Fit_RunLongerThanTheCycle_ThrowsBeforeTheFirstStep()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 10, seed: 1);
        var network = Network.Sequential<double>(2).Dense(3).Build(seed: 1);
        var sgd = new Sgd<double>(network.Parameters, 0.1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), sgd);

        var act = () => trainer.Fit(data, new TrainingOptions { Epochs = 4, BatchSize = 8, OnStepStart = new OneCycle(0.5, totalSteps: 12).ApplyTo(sgd) },
            cancellationToken: CancellationToken.None);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*planned for 12 steps, but step 13*");
        trainer.History.Steps.Should().Be(0);
    }
}
