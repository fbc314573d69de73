using NeuralNets.Serialization;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

/// <summary>The proof of resuming: 4 epochs straight, and 2 epochs + checkpoint + fresh objects + 2 epochs, end bit-identical.</summary>
public sealed class CheckpointResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(CheckpointRuns))]
    public void Fit_InterruptedAfterEpoch2AndResumedInFreshObjects_MatchesTheStraightRunBitForBit(string name)
    {
        var run = Named(name);
        var straight = run.Build();
        var expected = Fit(straight.Trainer, run.Options(straight.Optimizer));

        string path = _temp.File("run.ckpt.json");
        var interrupted = run.Build();
        Fit(interrupted.Trainer, run.Options(interrupted.Optimizer), callbacks: new CheckpointAndStop(2, path))
            .Epochs.Should().HaveCount(2);
        var resumed = run.Build();
        var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: path);

        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        Figures(history).Should().Equal(Figures(expected));
        history.StopReason.Should().BeNull();
        resumed.Optimizer.ExportState().Parameters.Select(p => p.Step).Should().Equal(straight.Optimizer.ExportState().Parameters.Select(p => p.Step));
    }

    [Fact]
    public void Fit_ResumedFromTheWeightsAlone_DiffersFromTheStraightRun()
    {
        // The control: weights without the optimizer's moments, the masks' and the shuffle's positions do not resume the run.
        var run = Named("dropout, adam, per-epoch schedule");
        var straight = run.Build();
        Fit(straight.Trainer, run.Options(straight.Optimizer));
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer) with { Epochs = 2 });
        string path = _temp.File("weights.json");
        ModelFile.Save(first.Network, path);

        var second = run.Build();
        ModelFile.LoadParameters(second.Network, path);
        Fit(second.Trainer, run.Options(second.Optimizer) with { Epochs = 2 });

        Weights(second.Network).Should().NotBeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_TwoEpochsThenSaveCheckpointThenResumeToFour_MatchesTheStraightRunsWeightsAndLosses()
    {
        var run = Named("adam");
        var straight = run.Build();
        var expected = Fit(straight.Trainer, run.Options(straight.Optimizer));

        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer) with { Epochs = 2 });
        string path = _temp.File("after-2.ckpt.json");
        first.Trainer.SaveCheckpoint(path);
        var resumed = run.Build();
        var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: path);

        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        // The first two reports keep what that run asked for (2 epochs); every figure else is the straight run's.
        history.Epochs.Select(r => Figures(r with { Epochs = 4 })).Should().Equal(expected.Epochs.Select(Figures));
        history.Epochs.Select(r => r.Epochs).Should().Equal(2, 2, 4, 4);
    }

    [Fact]
    public void Fit_ResumedFromAModelCheckpointFile_MatchesTheStraightRun()
    {
        var run = Named("dropout, adam, per-epoch schedule");
        var straight = run.Build();
        string pattern = _temp.File("epoch-{epoch}.ckpt.json");
        var expected = Fit(straight.Trainer, run.Options(straight.Optimizer), callbacks: new ModelCheckpoint<float>(straight.Network, pattern, monitor: "loss", saveBestOnly: false));

        var resumed = run.Build();
        var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: pattern.Replace("{epoch}", "2"));

        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        Figures(history).Should().Equal(Figures(expected));
        Weights(Checkpoint.LoadNetwork<float>(pattern.Replace("{epoch}", "4"))).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_ResumeFromTheLastEpoch_RunsNothingAndReturnsTheHistory()
    {
        var run = Named("sgd");
        var done = run.Build();
        var expected = Fit(done.Trainer, run.Options(done.Optimizer));
        string path = _temp.File("done.ckpt.json");
        done.Trainer.SaveCheckpoint(path);

        var resumed = run.Build();
        var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: path);

        Figures(history).Should().Equal(Figures(expected));
        Weights(resumed.Network).Should().BeEquivalentTo(Weights(done.Network), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_ResumeThenCheckpointAgain_ChainsRunsBitForBit()
    {
        var run = Named("nested dropout, momentum, per-step warm-up, clipping");
        var straight = run.Build();
        Fit(straight.Trainer, run.Options(straight.Optimizer));

        string one = _temp.File("one.ckpt.json"), three = _temp.File("three.ckpt.json");
        var a = run.Build();
        Fit(a.Trainer, run.Options(a.Optimizer), callbacks: new CheckpointAndStop(1, one));
        var b = run.Build();
        Fit(b.Trainer, run.Options(b.Optimizer), resumeFrom: one, callbacks: new CheckpointAndStop(3, three));
        var c = run.Build();
        Fit(c.Trainer, run.Options(c.Optimizer), resumeFrom: three);

        Weights(c.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
    }
}
