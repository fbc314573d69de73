using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Training.Callbacks;

/// <summary>What a callback sees of a running <see cref="Trainer{T}.Fit"/>, and the way to stop it.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TrainingContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> _trainer;

    internal TrainingContext(Trainer<T> trainer, ILayer<T> network, ILoss<T> loss, IOptimizer<T> optimizer, TrainingOptions options, TrainingHistory history, int batchesPerEpoch)
    {
        _trainer = trainer;
        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        Options = options;
        History = history;
        BatchesPerEpoch = batchesPerEpoch;
    }

    /// <summary>The network being trained.</summary>
    public ILayer<T> Network { get; }

    /// <summary>The loss.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The optimizer (a callback may change its learning rate between steps).</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>The options of the run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The run's history so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>The batches of an epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The current epoch, 1-based (0 before the first).</summary>
    public int Epoch { get; internal set; }

    /// <summary>
    /// Whether the current epoch has run all its batches: false while it runs, true in its
    /// <see cref="ITrainingCallback{T}.OnEpochEnd"/>, except after a <see cref="Stop"/> from
    /// <see cref="ITrainingCallback{T}.OnBatchEnd"/> before its last batch. Such an epoch is reported (with the steps it
    /// took) but cannot be checkpointed: a run resumed from it would go on with the next epoch, skipping the batches it
    /// never took.
    /// </summary>
    public bool EpochFinished { get; internal set; }

    /// <summary>Whether a callback asked the run to stop.</summary>
    public bool StopRequested => StopReason is not null;

    /// <summary>The reason given to <see cref="Stop"/>, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Writes a checkpoint of the run from <see cref="ITrainingCallback{T}.OnEpochEnd"/> (<see cref="Trainer{T}.SaveCheckpoint"/>),
    /// from which <c>Fit(…, resumeFrom: path)</c> continues after this epoch. The file is written once every callback's
    /// <c>OnEpochEnd</c> of the epoch has run, so that it holds each <see cref="IStatefulCallback"/>'s state at the epoch's end.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="InvalidOperationException">
    /// Called within an epoch (from <see cref="ITrainingCallback{T}.OnBatchEnd"/> or <see cref="ITrainingCallback{T}.OnEpochBegin"/>),
    /// or at the end of an epoch that a callback stopped before its last batch (<see cref="EpochFinished"/> false):
    /// checkpoints are taken at the ends of whole epochs.
    /// </exception>
    public void SaveCheckpoint(string path) => _trainer.SaveCheckpoint(path);

    /// <summary>
    /// Ends the run cleanly, no exception: after the current step when called from <see cref="ITrainingCallback{T}.OnBatchEnd"/>
    /// (the epoch is then validated and reported with the steps it took), after the current epoch otherwise.
    /// <see cref="TrainingHistory.StopReason"/> keeps <paramref name="reason"/>; the first reason given wins.
    /// </summary>
    public void Stop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        StopReason ??= reason;
    }
}
