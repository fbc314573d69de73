using System.Globalization;
using NeuralNets.Layers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Training.Callbacks;

/// <summary>
/// restoreBestWeights puts back the best epoch's model whole: with BatchNorm layers, their running statistics with the
/// weights, so that the restored network answers as it did at that epoch's end.
/// </summary>
public sealed class EarlyStoppingRunningStatisticsTests : IDisposable
{
    private const string Run = "batch norms (cumulative without affine, momentum), adam";  // BatchNorm layers at 1 and 4
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static BatchNorm<float>[] Norms(Sequential<float> network) => [.. network.Layers.OfType<BatchNorm<float>>()];

    private static string[] Statistics(Sequential<float> network) =>
        [.. Norms(network).Select(n => string.Create(CultureInfo.InvariantCulture, $"{Bits(n.RunningMean)} / {Bits(n.RunningVariance)} / {n.BatchesTracked}"))];

    private static string Bits(ReadOnlySpan<float> values) =>
        string.Join(",", values.ToArray().Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8", CultureInfo.InvariantCulture)));

    /// <summary>With minDelta far above any change of the loss only epoch 1 is ever best: the run stops after epoch 3.</summary>
    private static EarlyStopping<float> OnlyEpoch1IsBest() => new("loss", patience: 2, minDelta: 10, restoreBestWeights: true);

    [Fact]
    public void Fit_RestoreBestWeights_PutsBackTheBestEpochsRunningStatisticsWithItsWeights()
    {
        var run = Named(Run);
        var objects = run.Build();
        var statistics = new List<string[]>();
        var weights = new List<float[][]>();
        var stopping = OnlyEpoch1IsBest();
        var recorder = new EpochEndRecorder(() => { statistics.Add(Statistics(objects.Network)); weights.Add(Weights(objects.Network)); });

        var history = Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 6 }, callbacks: [recorder, stopping]);

        history.Epochs.Should().HaveCount(3);
        stopping.BestEpoch.Should().Be(1);
        Weights(objects.Network).Should().BeEquivalentTo(weights[0], o => o.WithStrictOrdering());
        Statistics(objects.Network).Should().Equal(statistics[0], "the running statistics of epoch 1, not of epoch 3");
        Statistics(objects.Network).Should().NotEqual(statistics[2]);
    }

    [Fact]
    public void Fit_RestoreBestWeightsAcrossACheckpoint_EndsAsTheStraightRunBitForBit()
    {
        var run = Named(Run);
        var options = run.Options(run.Build().Optimizer) with { Epochs = 6 };
        var straight = run.Build();
        Fit(straight.Trainer, options, callbacks: OnlyEpoch1IsBest());

        string path = _temp.File("run.ckpt.json");
        var first = run.Build();
        Fit(first.Trainer, options, callbacks: [new NeuralNets.Tests.Serialization.CheckpointAndStop(2, path), OnlyEpoch1IsBest()]);
        var resumed = run.Build();
        Fit(resumed.Trainer, options, resumeFrom: path, callbacks: OnlyEpoch1IsBest());

        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        Statistics(resumed.Network).Should().Equal(Statistics(straight.Network));
    }

    [Fact]
    public void ImportState_AStateWithoutRunningStatistics_StillImports()
    {
        // States written before the statistics were kept hold the weights alone.
        var run = Named(Run);
        var objects = run.Build();
        var stopping = OnlyEpoch1IsBest();
        Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 2 }, callbacks: stopping);
        var state = stopping.ExportState();
        var weightsOnly = new CallbackState(state.Kind, state.Scalars.Where(s => !s.Key.StartsWith("batchesTracked", StringComparison.Ordinal)).ToDictionary(),
            state.Buffers.Where(b => b.Key.StartsWith("weights", StringComparison.Ordinal)).ToDictionary());

        var fresh = OnlyEpoch1IsBest();
        var other = run.Build();
        Fit(other.Trainer, run.Options(other.Optimizer) with { Epochs = 1 }, callbacks: fresh);
        var act = () => fresh.ImportState(weightsOnly);

        act.Should().NotThrow();
        fresh.BestEpoch.Should().Be(1);
    }

    [Fact]
    public void ImportState_ANegativeRunningVariance_ThrowsNamingIt()
    {
        var run = Named(Run);
        var objects = run.Build();
        var stopping = OnlyEpoch1IsBest();
        Fit(objects.Trainer, run.Options(objects.Optimizer) with { Epochs = 2 }, callbacks: stopping);
        var state = stopping.ExportState();
        var buffers = state.Buffers.ToDictionary(b => b.Key, b => b.Value.ToArray());
        buffers["runningVariance1"][0] = -1;

        var act = () => stopping.ImportState(new CallbackState(state.Kind, state.Scalars, buffers));

        act.Should().Throw<ArgumentException>().WithMessage("*'runningVariance1'[0] = -1*");
    }

    private sealed class EpochEndRecorder(Action record) : ITrainingCallback<float>
    {
        public void OnEpochEnd(TrainingContext<float> context, EpochReport report) => record();
    }
}
