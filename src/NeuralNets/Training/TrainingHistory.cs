namespace NeuralNets.Training;

/// <summary>What a training run did, epoch by epoch. It fills as the run goes, so a caller can inspect it after a cancellation.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochReport> _epochs = [];

    /// <summary>One report per finished epoch, in order.</summary>
    public IReadOnlyList<EpochReport> Epochs => _epochs;

    /// <summary>The last finished epoch's report, or null if none finished.</summary>
    public EpochReport? Last => _epochs.Count == 0 ? null : _epochs[^1];

    /// <summary>Total optimisation steps taken.</summary>
    public long Steps { get; internal set; }

    /// <summary>Why the run ended before its last epoch, when a callback stopped it (<see cref="Callbacks.TrainingContext{T}.Stop"/>); null otherwise.</summary>
    public string? StopReason { get; internal set; }

    internal void Add(EpochReport report) => _epochs.Add(report);
}
