using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training.Callbacks;

public class EarlyStoppingTests
{
    [Fact]
    public void Fit_Patience2_StopsAtTheHandComputedEpochAndRestoresTheBestWeightsBitForBit()
    {
        // Best 3 at epoch 2; epochs 3 (4) and 4 (3.5) do not beat it: the wait reaches 2 after epoch 4.
        var run = new ScriptedRun();
        var stopping = new EarlyStopping<double>("scripted", patience: 2, restoreBestWeights: true);

        var history = run.Fit(epochs: 7, script: [5, 3, 4, 3.5, 3.2, 2, 1], higherIsBetter: false, stopping);

        history.Epochs.Should().HaveCount(4);
        history.StopReason.Should().StartWith("EarlyStopping: scripted did not improve for 2 epoch(s) after its best, 3 at epoch 2");
        (stopping.BestEpoch, stopping.StoppedEpoch).Should().Be((2, 4));
        run.Weights().Should().BeEquivalentTo(run.WeightsAfterEpoch[1], o => o.WithStrictOrdering(), "the weights of epoch 2, bit for bit");
        run.Weights()[0].Should().NotEqual(run.WeightsAfterEpoch[3][0], "training went on after epoch 2");
    }

    [Fact]
    public void Fit_MinDelta_SmallImprovementsDoNotCount()
    {
        // With minDelta 0.1: 4.95 and 4.9 are not below 5 − 0.1, so the wait reaches 2 after epoch 3.
        var run = new ScriptedRun();
        run.Fit(epochs: 5, script: [5, 4.95, 4.9, 4.85, 4.8], higherIsBetter: false, new EarlyStopping<double>("scripted", patience: 2, minDelta: 0.1))
            .Epochs.Should().HaveCount(3);

        var plain = new ScriptedRun();
        var history = plain.Fit(epochs: 5, script: [5, 4.95, 4.9, 4.85, 4.8], higherIsBetter: false, new EarlyStopping<double>("scripted", patience: 2));
        history.Epochs.Should().HaveCount(5, "without minDelta every epoch improves");
        history.StopReason.Should().BeNull();
    }

    [Fact]
    public void Fit_MetricWhereHigherIsBetter_AutoModeMaximises()
    {
        var run = new ScriptedRun();
        var stopping = new EarlyStopping<double>("scripted", patience: 1, restoreBestWeights: true);

        run.Fit(epochs: 5, script: [0.5, 0.6, 0.55, 0.7, 0.8], higherIsBetter: true, stopping).Epochs.Should().HaveCount(3);

        stopping.BestEpoch.Should().Be(2);
        run.Weights().Should().BeEquivalentTo(run.WeightsAfterEpoch[1], o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_RanEveryEpoch_StillRestoresTheBest()
    {
        var run = new ScriptedRun();
        run.Fit(epochs: 4, script: [2, 1, 1.5, 1.2], higherIsBetter: false, new EarlyStopping<double>("scripted", patience: 5, restoreBestWeights: true));

        run.Weights().Should().BeEquivalentTo(run.WeightsAfterEpoch[1], o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_MonitorNotInTheReport_ThrowsListingWhatIs()
    {
        var run = new ScriptedRun();

        var act = () => run.Fit(epochs: 2, script: [1, 1], higherIsBetter: false, new EarlyStopping<double>());

        act.Should().Throw<InvalidOperationException>().WithMessage("EarlyStopping monitors 'val_loss', but epoch 1's report has only: loss, scripted.*");
    }
}
