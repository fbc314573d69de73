using System.Globalization;
using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A checkpoint whose saved callback state a callback refuses is refused whole: Fit throws InvalidDataException and
/// the network (weights, running statistics, random streams), the optimizer and the history are as they were. So is a
/// resume whose Fit throws for another reason before its first step (a callback's OnTrainBegin, the first OnEpochBegin),
/// the stateful callbacks' states included; after the first step the resumed run stands, as any run's steps do.
/// </summary>
public sealed class CheckpointCallbackRefusalTests : IDisposable
{
    private const string Run = "batch norms (cumulative without affine, momentum), adam";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Fit_ResumedFromARefusedCallbackState_ThrowsInvalidDataAndChangesNothing()
    {
        var run = Named(Run);
        string path = _temp.File("damaged.ckpt.json");
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer), callbacks: [new CheckpointAndStop(2, path), new EarlyStopping<float>("loss", patience: 9, restoreBestWeights: true)]);
        ModelFileEdits.Edit(path, root => root["Callbacks"]![0]!["Scalars"]!["wait"] = JsonValue.Create(-1));

        var fresh = run.Build();
        Fit(fresh.Trainer, run.Options(fresh.Optimizer) with { Epochs = 1 });  // a history, moments and statistics of its own
        string before = Everything(fresh.Network, fresh.Optimizer, fresh.Trainer);
        var act = () => Fit(fresh.Trainer, run.Options(fresh.Optimizer), resumeFrom: path, callbacks: new EarlyStopping<float>("loss", patience: 9, restoreBestWeights: true));

        act.Should().Throw<InvalidDataException>().WithMessage("*callback 0 (EarlyStopping*'wait' = -1*").Which.Message.Should().NotContain("were restored");
        Everything(fresh.Network, fresh.Optimizer, fresh.Trainer).Should().Be(before);
        var save = () => fresh.Trainer.SaveCheckpoint(_temp.File("after.json"));
        save.Should().Throw<InvalidOperationException>("the refused resume left no epoch end to checkpoint");
    }

    [Fact]
    public void Fit_ResumedFromARefusedCallbackStateWithDropout_PutsTheRandomStreamsBack()
    {
        // A network that draws: after the refused resume, another run from the same start gives what it gave before.
        var run = Named("dropout, adam, per-epoch schedule");
        string path = _temp.File("damaged.ckpt.json");
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer), callbacks: [new CheckpointAndStop(2, path), new EarlyStopping<float>("loss", patience: 9)]);
        ModelFileEdits.Edit(path, root => root["Callbacks"]![0]!["Scalars"]!["wait"] = JsonValue.Create(-1));
        var control = run.Build();
        var expected = Fit(control.Trainer, run.Options(control.Optimizer));

        var fresh = run.Build();
        var act = () => Fit(fresh.Trainer, run.Options(fresh.Optimizer), resumeFrom: path, callbacks: new EarlyStopping<float>("loss", patience: 9));
        act.Should().Throw<InvalidDataException>();
        var history = Fit(fresh.Trainer, run.Options(fresh.Optimizer));

        Figures(history).Should().Equal(Figures(expected));
        Weights(fresh.Network).Should().BeEquivalentTo(Weights(control.Network), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(nameof(ITrainingCallback<float>.OnTrainBegin))]
    [InlineData(nameof(ITrainingCallback<float>.OnEpochBegin))]
    public void Fit_ResumedAndACallbackThrowsBeforeTheFirstStep_ChangesNothing(string where)
    {
        var (fresh, stopping, path) = Interrupted();
        string before = Everything(fresh.Network, fresh.Optimizer, fresh.Trainer) + " || " + State(stopping);
        var act = () => Fit(fresh.Trainer, Named(Run).Options(fresh.Optimizer), resumeFrom: path, callbacks: [stopping, new Throwing(where)]);

        act.Should().Throw<InvalidOperationException>().WithMessage($"thrown from {where}");
        (Everything(fresh.Network, fresh.Optimizer, fresh.Trainer) + " || " + State(stopping)).Should().Be(before);
    }

    [Fact]
    public void Fit_ResumedAndACallbackRefusesItsOwnStateWhileTakenBack_ThrowsBothAndPutsTheRestBack()
    {
        var (fresh, stopping, path) = Interrupted();
        string before = Everything(fresh.Network, fresh.Optimizer, fresh.Trainer) + " || " + State(stopping);
        var act = () => Fit(fresh.Trainer, Named(Run).Options(fresh.Optimizer), resumeFrom: path,
            callbacks: [new RefusingAfterBegin(), stopping, new Throwing(nameof(ITrainingCallback<float>.OnEpochBegin))]);

        var thrown = act.Should().Throw<AggregateException>().Which;
        thrown.InnerExceptions.Should().HaveCount(2);
        thrown.InnerExceptions[0].Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("thrown from OnEpochBegin");
        thrown.InnerExceptions[1].Message.Should().Contain("Callback 0 (refusing)").And.Contain("refused its own state");
        (Everything(fresh.Network, fresh.Optimizer, fresh.Trainer) + " || " + State(stopping)).Should().Be(before, "the other callback and the network are put back all the same");
    }

    [Fact]
    public void Fit_ResumedAndACallbackThrowsAfterTheFirstStep_KeepsTheResumedRun()
    {
        var (fresh, stopping, path) = Interrupted();
        var before = Weights(fresh.Network);
        var act = () => Fit(fresh.Trainer, Named(Run).Options(fresh.Optimizer), resumeFrom: path, callbacks: [stopping, new Throwing(nameof(ITrainingCallback<float>.OnBatchEnd))]);

        act.Should().Throw<InvalidOperationException>();
        Weights(fresh.Network).Should().NotBeEquivalentTo(before, o => o.WithStrictOrdering(), "the run had taken a step from the checkpoint's weights");
    }

    /// <summary>A checkpoint after epoch 2 of a run, and a fresh set-up that has trained an epoch of its own (weights, moments, statistics, history, a callback's state).</summary>
    private ((Sequential<float> Network, IOptimizer<float> Optimizer, Trainer<float> Trainer) Fresh, EarlyStopping<float> Stopping, string Path) Interrupted()
    {
        var run = Named(Run);
        string path = _temp.File("run.ckpt.json");
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer), callbacks: [new CheckpointAndStop(2, path), new EarlyStopping<float>("loss", patience: 9, restoreBestWeights: true)]);
        var fresh = run.Build();
        var stopping = new EarlyStopping<float>("loss", patience: 9, restoreBestWeights: true);
        Fit(fresh.Trainer, run.Options(fresh.Optimizer) with { Epochs = 1 }, callbacks: stopping);
        return (fresh, stopping, path);
    }

    private static string State(IStatefulCallback callback)
    {
        var state = callback.ExportState();
        return string.Join(" ", state.Scalars.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value.ToString("R", CultureInfo.InvariantCulture)))
            + " " + string.Join(" ", state.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key + "=" + string.Join(",", b.Value.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
    }

    /// <summary>A stateful callback with a bug: once its run has begun it refuses every state, its own of before Fit too.</summary>
    private sealed class RefusingAfterBegin : ITrainingCallback<float>, IStatefulCallback
    {
        private bool _begun;

        public void OnTrainBegin(TrainingContext<float> context) => _begun = true;

        public CallbackState ExportState() => new("refusing", new Dictionary<string, double>(), new Dictionary<string, double[]>());

        public void ImportState(CallbackState state)
        {
            if (_begun) throw new ArgumentException("no state accepted once begun");
        }

        public override string ToString() => "refusing";
    }

    /// <summary>Throws from the named callback method, as a callback given the wrong network or a full disk would.</summary>
    private sealed class Throwing(string where) : ITrainingCallback<float>
    {
        public void OnTrainBegin(TrainingContext<float> context) => ThrowIf(nameof(OnTrainBegin));

        public void OnEpochBegin(TrainingContext<float> context) => ThrowIf(nameof(OnEpochBegin));

        public void OnBatchEnd(TrainingContext<float> context, in BatchReport report) => ThrowIf(nameof(OnBatchEnd));

        private void ThrowIf(string method)
        {
            if (method == where) throw new InvalidOperationException($"thrown from {method}");
        }
    }
}
