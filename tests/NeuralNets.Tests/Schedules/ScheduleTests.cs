using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Tests.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Schedules;

public class ScheduleTests
{
    [Fact]
    public void StepDecay_Epochs_DecayEveryStepSize()
    {
        var schedule = new StepDecay(initialRate: 0.1, stepSize: 3, gamma: 0.5);
        Enumerable.Range(1, 7).Select(schedule.LearningRate).Should().Equal(0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025);
    }

    [Fact]
    public void ExponentialDecay_Epochs_MultiplyByGammaEachEpoch()
    {
        var schedule = new ExponentialDecay(initialRate: 2, gamma: 0.5);
        Enumerable.Range(1, 4).Select(schedule.LearningRate).Should().Equal(2, 1, 0.5, 0.25);
        schedule.LearningRate(100_000).Should().BePositive();
    }

    [Fact]
    public void CosineAnnealing_Epochs_FollowHalfCosineThenStay()
    {
        var schedule = new CosineAnnealing(initialRate: 1, epochs: 4, minimumRate: 0.2);
        var rates = Enumerable.Range(1, 7).Select(schedule.LearningRate).ToArray();
        double[] expected = [1, 0.2 + 0.4 * (1 + Math.Sqrt(0.5)), 0.6, 0.2 + 0.4 * (1 - Math.Sqrt(0.5)), 0.2, 0.2, 0.2];
        rates.ShouldBeCloseTo(expected, 1e-15);
    }

    [Fact]
    public void LearningRate_EpochZero_Throws()
    {
        var act = () => new StepDecay(0.1, 2).LearningRate(0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("epoch is 1-based, but was 0*");
    }

    public static TheoryData<string, Func<object>> InvalidCases => new()
    {
        { "initialRate", () => new StepDecay(-1, 2) },
        { "stepSize", () => new StepDecay(0.1, 0) },
        { "gamma", () => new StepDecay(0.1, 2, gamma: 0) },
        { "gamma", () => new ExponentialDecay(0.1, gamma: 2) },
        { "epochs", () => new CosineAnnealing(0.1, epochs: 0) },
        { "minimumRate", () => new CosineAnnealing(0.1, epochs: 10, minimumRate: 0.5) },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Constructor_InvalidArgument_NamesIt(string name, Func<object> create) =>
        create.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name).WithMessage($"{name} *");

    [Fact]
    public void ApplyTo_InTrainer_SetsRateAtEachEpochStart()
    {
        var data = SyntheticData.Xor<double>();
        var network = Network.Sequential<double>(2).Dense(4).Tanh().Dense(2).Build(seed: 1);
        var optimizer = new Adam<double>(network.Parameters, learningRate: 0.5);
        var schedule = new StepDecay(initialRate: 0.01, stepSize: 2, gamma: 0.1);
        var seen = new List<double>();
        var apply = schedule.ApplyTo(optimizer);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), optimizer);

        trainer.Fit(data, new TrainingOptions { Epochs = 5, BatchSize = 4, OnEpochStart = epoch => { apply(epoch); seen.Add(optimizer.LearningRate); } },
            cancellationToken: TestContext.Current.CancellationToken);

        seen.ToArray().ShouldBeCloseTo([0.01, 0.01, 0.001, 0.001, 1e-4], 1e-15);
    }
}
