using System.Text.Json.Nodes;
using NeuralNets.Serialization;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// Callbacks' counters in checkpoints: with a patience, a plateau count and a best-so-far that span the save point,
/// "straight" and "2 epochs + checkpoint + fresh objects + the rest" make the same decisions.
/// </summary>
public sealed class CheckpointCallbackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Fresh callbacks whose decisions hang on counts: with minDelta and threshold far above any change of the loss only
    /// epoch 1 is ever best, so the wait and the bad epochs grow by one an epoch. The learning rate halves after epoch 4
    /// (bad epochs 3 &gt; patience 2), early stopping ends the run after epoch 5 (wait 4) and puts epoch 1's weights back,
    /// and ModelCheckpoint (higher loss counted better) saves epoch 1 alone.
    /// </summary>
    private (EarlyStopping<float> Stop, ReduceLearningRateOnPlateau<float> Plateau, ModelCheckpoint<float> Best, EpochCounter Counter) Callbacks(
        (NeuralNets.Layers.Sequential<float> Network, NeuralNets.Optimizers.IOptimizer<float> Optimizer, Trainer<float> Trainer) objects, string name) =>
        (new EarlyStopping<float>("loss", patience: 4, minDelta: 10, restoreBestWeights: true),
         new ReduceLearningRateOnPlateau<float>(objects.Optimizer, "loss", factor: 0.5, patience: 2, threshold: 10, thresholdMode: ThresholdMode.Absolute, cooldown: 1),
         new ModelCheckpoint<float>(objects.Network, _temp.File(name + "-best-{epoch}.json"), "loss", mode: MonitorMode.Max),
         new EpochCounter());

    private static TrainingOptions Options => new() { Epochs = 8, BatchSize = 16, Seed = 3 };

    [Fact]
    public void Fit_CountersSpanningTheCheckpoint_MakeTheSameDecisionsAsTheStraightRun()
    {
        var run = Named("adam");
        var straight = run.Build();
        var s = Callbacks(straight, "straight");
        var expected = Fit(straight.Trainer, Options, null, s.Stop, s.Plateau, s.Best, s.Counter);
        expected.Epochs.Should().HaveCount(5, "the scenario stops after epoch 5");
        expected.Epochs[4].LearningRate.Should().Be(0.005, "halved after epoch 4");

        string path = _temp.File("run.ckpt.json");
        var first = run.Build();
        var f = Callbacks(first, "first");
        // The checkpoint is asked for first: it is still written after every other callback's OnEpochEnd.
        Fit(first.Trainer, Options, null, new CheckpointAndStop(2, path), f.Stop, f.Plateau, f.Best, f.Counter).Epochs.Should().HaveCount(2);

        var resumed = run.Build();
        var r = Callbacks(resumed, "resumed");
        var history = Fit(resumed.Trainer, Options, path, new CheckpointAndStop(99, path), r.Stop, r.Plateau, r.Best, r.Counter);

        Figures(history).Should().Equal(Figures(expected));
        history.StopReason.Should().Be(expected.StopReason).And.NotBeNull();
        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        (r.Stop.BestEpoch, r.Stop.StoppedEpoch, r.Stop.BestValue).Should().Be((s.Stop.BestEpoch, s.Stop.StoppedEpoch, s.Stop.BestValue));
        r.Best.SavedEpochs.Should().Equal(s.Best.SavedEpochs).And.Equal(1);
        r.Counter.Epochs.Should().Be(s.Counter.Epochs).And.Be(5, "a user's callback that opts in counts on too");
    }

    [Fact]
    public void Fit_ResumedFromAFormat1File_StartsTheCallbacksAfresh()
    {
        // The control, and the older format still loading: without the counters the wait restarts at epoch 3, so no stop.
        var run = Named("adam");
        string path = _temp.File("old.ckpt.json");
        var first = run.Build();
        var f = Callbacks(first, "first");
        Fit(first.Trainer, Options, null, new CheckpointAndStop(2, path), f.Stop, f.Plateau, f.Best, f.Counter);
        ModelFileEdits.Edit(path, root =>
        {
            root["Format"] = "neuralnets-checkpoint/1";
            root.Remove("Callbacks");
        });

        var resumed = run.Build();
        var r = Callbacks(resumed, "resumed");
        var history = Fit(resumed.Trainer, Options, path, r.Stop, r.Plateau, r.Best, r.Counter);

        history.Epochs.Should().HaveCount(7, "epoch 3 became the best, and the wait reached 4 only after epoch 7");
        r.Best.SavedEpochs.Should().Equal(3);
        r.Counter.Epochs.Should().Be(5);
    }

    [Theory]
    [InlineData("wait", -1, "*callback 0 (EarlyStopping*'wait' = -1*whole number*")]
    [InlineData("bestEpoch", 1.5, "*callback 0 (EarlyStopping*'bestEpoch' = 1.5*")]
    public void Fit_ResumedFromDamagedCallbackState_ThrowsInvalidDataNamingIt(string scalar, double value, string message)
    {
        var run = Named("adam");
        string path = _temp.File("damaged.ckpt.json");
        var first = run.Build();
        var f = Callbacks(first, "first");
        Fit(first.Trainer, Options, null, new CheckpointAndStop(2, path), f.Stop, f.Plateau, f.Best, f.Counter);
        ModelFileEdits.Edit(path, root => root["Callbacks"]![0]!["Scalars"]![scalar] = JsonValue.Create(value));

        var resumed = run.Build();
        var r = Callbacks(resumed, "resumed");
        var act = () => Fit(resumed.Trainer, Options, path, r.Stop, r.Plateau, r.Best, r.Counter);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Fit_ResumedWithAnotherMonitor_StartsThatCallbackAfresh_AndTheOthersFromTheirStates()
    {
        var run = Named("adam");
        string path = _temp.File("run.ckpt.json");
        var first = run.Build();
        var f = Callbacks(first, "first");
        Fit(first.Trainer, Options, null, new CheckpointAndStop(2, path), f.Stop, f.Plateau, f.Best, f.Counter);

        var resumed = run.Build();
        var counter = new EpochCounter();
        var otherMonitor = new EarlyStopping<float>("val_loss", patience: 100);
        Fit(resumed.Trainer, Options with { Epochs = 3 }, path, otherMonitor, counter);
        counter.Epochs.Should().Be(3, "its saved count of 2 came back");
        otherMonitor.BestEpoch.Should().Be(3, "no saved state watched val_loss: it started afresh at epoch 3");
    }

    [Fact]
    public void CheckpointJson_DamagedCallbackBuffer_IsRefusedNamingTheField()
    {
        var run = Named("adam");
        string path = _temp.File("run.ckpt.json");
        var first = run.Build();
        var f = Callbacks(first, "first");
        Fit(first.Trainer, Options, null, new CheckpointAndStop(2, path), f.Stop, f.Plateau, f.Best, f.Counter);
        ModelFileEdits.Edit(path, root => root["Callbacks"]![2]!["Buffers"]!["savedEpochs"] = "AAAA");

        var act = () => Checkpoint.LoadNetwork<float>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*callback 2 (ModelCheckpoint:loss)*savedEpochs*whole number of doubles*");
    }

    /// <summary>A user's callback that opts in: it counts the epochs it has seen across resumptions.</summary>
    private sealed class EpochCounter : ITrainingCallback<float>, IStatefulCallback
    {
        public int Epochs { get; private set; }

        public void OnTrainBegin(TrainingContext<float> context) => Epochs = 0;

        public void OnEpochEnd(TrainingContext<float> context, EpochReport report) => Epochs++;

        public CallbackState ExportState() => new("EpochCounter", new Dictionary<string, double> { ["epochs"] = Epochs }, new Dictionary<string, double[]>());

        public void ImportState(CallbackState state) => Epochs = state.Count("epochs", 0, int.MaxValue);
    }
}
