using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training.Callbacks;

public class ReduceLearningRateOnPlateauTests
{
    [Fact]
    public void Fit_FlatFigurePatience1_HalvesTheRateAfterEveryThirdBadEpochAsPyTorch()
    {
        // PyTorch: epoch 1 sets the best; epochs 2, 3 are bad (count 1, 2); 2 > patience 1 → η 0.1 → 0.05, count 0;
        // epochs 4, 5 bad → 0.025. The rate holds from the next epoch.
        var run = new ScriptedRun();
        var history = run.Fit(epochs: 6, script: [1, 1, 1, 1, 1, 1], higherIsBetter: false,
            new ReduceLearningRateOnPlateau<double>(run.Optimizer, "scripted", factor: 0.5, patience: 1));

        history.Epochs.Select(e => e.LearningRate).Should().Equal(0.1, 0.1, 0.1, 0.05, 0.05, 0.025);
        run.Optimizer.LearningRate.Should().Be(0.025);
    }

    [Fact]
    public void Fit_Cooldown1_TheEpochAfterAReductionIsNotCounted()
    {
        var run = new ScriptedRun();
        run.Fit(epochs: 6, script: [1, 1, 1, 1, 1, 1], higherIsBetter: false,
            new ReduceLearningRateOnPlateau<double>(run.Optimizer, "scripted", factor: 0.5, patience: 1, cooldown: 1))
            .Epochs.Select(e => e.LearningRate).Should().Equal(0.1, 0.1, 0.1, 0.05, 0.05, 0.05);
        run.Optimizer.LearningRate.Should().Be(0.025, "epoch 4 was in the cooldown, so epochs 5 and 6 made the count exceed 1");
    }

    [Fact]
    public void Fit_RelativeThreshold_ATinyImprovementIsBad()
    {
        // 0.99995 is not below 1·(1 − 1e−4): bad; 0.9 is: good. Patience 0 reduces after the first bad epoch.
        var run = new ScriptedRun();
        run.Fit(epochs: 4, script: [1, 0.99995, 0.9, 0.8], higherIsBetter: false,
            new ReduceLearningRateOnPlateau<double>(run.Optimizer, "scripted", factor: 0.5, patience: 0))
            .Epochs.Select(e => e.LearningRate).Should().Equal(0.1, 0.1, 0.05, 0.05);
    }
}
