using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// An epoch that a callback stopped within has not finished: no checkpoint may claim it, since a run resumed from one
/// would start the next epoch and skip the batches the stopped one never took.
/// </summary>
public sealed class TruncatedEpochCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SaveCheckpoint_AfterARunStoppedWithinAnEpoch_ThrowsAndWritesNothing()
    {
        var run = Named("adam");  // 90 samples in batches of 16: 6 batches an epoch
        var objects = run.Build();
        var history = Fit(objects.Trainer, run.Options(objects.Optimizer), callbacks: new StopAt(epoch: 2, batch: 5));
        string path = _temp.File("truncated.ckpt.json");

        var act = () => objects.Trainer.SaveCheckpoint(path);

        act.Should().Throw<InvalidOperationException>().WithMessage("*within an epoch*");
        File.Exists(path).Should().BeFalse();
        history.Epochs.Select(e => e.Steps).Should().Equal([6, 5], "the history reports the truncated epoch with the steps it took");
        history.Steps.Should().Be(11);
    }

    [Fact]
    public void SaveCheckpoint_FromOnEpochEndOfATruncatedEpoch_ThrowsNamingTheBatches()
    {
        var run = Named("adam");
        var objects = run.Build();
        string path = _temp.File("truncated-{epoch}.ckpt.json");

        var act = () => Fit(objects.Trainer, run.Options(objects.Optimizer), callbacks: [new StopAt(epoch: 2, batch: 5), new CheckpointAndStop(2, path)]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*Epoch 2 ended after 5 of its 6 batches*");
        Directory.GetFiles(_temp.Path).Should().BeEmpty();
    }

    [Fact]
    public void ModelCheckpoint_EveryEpoch_SkipsTheResumableFileOfATruncatedEpochButWritesTheWeightsOnlyOne()
    {
        var run = Named("adam");
        var objects = run.Build();
        var resumable = new ModelCheckpoint<float>(objects.Network, _temp.File("ckpt-{epoch}.json"), "loss", saveBestOnly: false);
        var weights = new ModelCheckpoint<float>(objects.Network, _temp.File("weights-{epoch}.json"), "loss", saveBestOnly: false, weightsOnly: true);

        var history = Fit(objects.Trainer, run.Options(objects.Optimizer), callbacks: [new StopAt(epoch: 2, batch: 5), resumable, weights]);

        history.Epochs.Should().HaveCount(2);
        resumable.SavedEpochs.Should().Equal(1);
        weights.SavedEpochs.Should().Equal(1, 2);
        File.Exists(_temp.File("ckpt-2.json")).Should().BeFalse();
        File.Exists(_temp.File("weights-2.json")).Should().BeTrue();
    }

    [Fact]
    public void SaveCheckpoint_AfterAStopAtTheLastBatchOfAnEpoch_ResumesToTheStraightRunBitForBit()
    {
        // A stop after the epoch's last step leaves the epoch whole: that one can be checkpointed.
        var run = Named("adam");
        var straight = run.Build();
        var expected = Fit(straight.Trainer, run.Options(straight.Optimizer));
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer), callbacks: new StopAt(epoch: 2, batch: 6));
        string path = _temp.File("whole.ckpt.json");
        first.Trainer.SaveCheckpoint(path);

        var resumed = run.Build();
        var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: path);

        Figures(history).Should().Equal(Figures(expected));
        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
    }

    /// <summary>Stops the run from OnBatchEnd after the given batch (1-based) of the given epoch.</summary>
    private sealed class StopAt(int epoch, int batch) : ITrainingCallback<float>
    {
        public void OnBatchEnd(TrainingContext<float> context, in BatchReport report)
        {
            if (report.Epoch == epoch && report.Batch == batch) context.Stop("stopped within the epoch");
        }
    }
}
