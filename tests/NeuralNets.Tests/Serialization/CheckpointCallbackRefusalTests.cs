using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A checkpoint whose saved callback state a callback refuses is refused whole: Fit throws InvalidDataException and
/// the network (weights, running statistics, random streams), the optimizer and the history are as they were.
/// </summary>
public sealed class CheckpointCallbackRefusalTests : IDisposable
{
    private const string Run = "batch norms (cumulative without affine, momentum), adam";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Everything(Sequential<float> network, NeuralNets.Optimizers.IOptimizer<float> optimizer, Trainer<float> trainer)
    {
        var norms = network.Layers.OfType<BatchNorm<float>>()
            .Select(n => string.Join(",", n.RunningMean.ToArray().Concat(n.RunningVariance.ToArray()).Select(Bits)) + ";" + n.BatchesTracked.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var state = optimizer.ExportState().Parameters
            .Select(p => p.Name + ":" + p.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" +
                string.Join(",", p.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key + "=" + string.Join(",", b.Value.Select(v => Bits((float)v))))));
        return string.Join(" | ", Weights(network).Select(w => string.Join(",", w.Select(Bits)))) + " || " + string.Join(" | ", norms) + " || " +
            string.Join(" | ", state) + " || " + string.Join(" | ", Figures(trainer.History));
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);

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
}
