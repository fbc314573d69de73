using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Training.Callbacks;

/// <summary>
/// ModelCheckpoint with saveBestOnly: false saves every epoch whatever the figure: it needs the monitored figure only to
/// keep its best value (for a run resumed with saveBestOnly on), so a report without it is no error.
/// </summary>
public sealed class ModelCheckpointEveryEpochTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Fit_EveryEpochWithoutValidation_SavesEachEpochAndKeepsNoBest()
    {
        var run = Named("adam");
        var objects = run.Build();
        var checkpoint = new ModelCheckpoint<float>(objects.Network, _temp.File("ckpt-{epoch}.json"), saveBestOnly: false);

        objects.Trainer.Fit(Train, run.Options(objects.Optimizer), callbacks: [checkpoint], cancellationToken: TestContext.Current.CancellationToken);

        checkpoint.SavedEpochs.Should().Equal(1, 2, 3, 4);
        File.Exists(_temp.File("ckpt-4.json")).Should().BeTrue();
        checkpoint.ExportState().Scalars["hasBest"].Should().Be(0, "val_loss was never reported");
    }

    [Fact]
    public void Fit_EveryEpochWithTheFigureReported_StillKeepsTheBest()
    {
        var run = Named("adam");
        var objects = run.Build();
        var checkpoint = new ModelCheckpoint<float>(objects.Network, _temp.File("ckpt-{epoch}.json"), "loss", saveBestOnly: false);

        var history = objects.Trainer.Fit(Train, run.Options(objects.Optimizer), callbacks: [checkpoint], cancellationToken: TestContext.Current.CancellationToken);

        checkpoint.SavedEpochs.Should().Equal(1, 2, 3, 4);
        var state = checkpoint.ExportState();
        state.Scalars["hasBest"].Should().Be(1);
        state.Scalars["best"].Should().Be(history.Epochs.Min(e => e.TrainLoss));
    }

    [Fact]
    public void Fit_BestOnlyWithoutValidation_StillSaysTheFigureIsMissing()
    {
        var run = Named("adam");
        var objects = run.Build();
        var checkpoint = new ModelCheckpoint<float>(objects.Network, _temp.File("best.json"));

        var act = () => objects.Trainer.Fit(Train, run.Options(objects.Optimizer), callbacks: [checkpoint], cancellationToken: TestContext.Current.CancellationToken);

        act.Should().Throw<InvalidOperationException>().WithMessage("*monitors 'val_loss'*");
    }
}
