using System.Globalization;
using System.Numerics;
using NeuralNets.Serialization;

namespace NeuralNets.Training;

public sealed partial class Trainer<T>
{
    // Where the run stands when it is at an epoch's end (after the epoch's report, before the next epoch starts); null
    // within an epoch, before any Fit, and after a run that ended within one (cancelled, diverged).
    private CheckpointProgress? _checkpointable;

    /// <summary>
    /// Writes a checkpoint of the run (<see cref="Checkpoint"/>): network, optimizer state, epochs and steps finished,
    /// history and random streams, so that <c>Fit(…, resumeFrom: path)</c> on freshly built objects continues it bit for bit.
    /// Written atomically: a crash never leaves half a file.
    /// </summary>
    /// <remarks>
    /// Call it after <see cref="Fit"/> returned, or from a callback's <see cref="Callbacks.ITrainingCallback{T}.OnEpochEnd"/>
    /// (through <see cref="Callbacks.TrainingContext{T}.SaveCheckpoint"/>): checkpoints are taken at epoch ends only.
    /// </remarks>
    /// <param name="path">The file to write.</param>
    /// <exception cref="InvalidOperationException">
    /// No epoch has ended since the run began (before any <see cref="Fit"/>, within an epoch, or after a run that ended
    /// within one), or the network is not a <see cref="Layers.Sequential{T}"/>.
    /// </exception>
    /// <exception cref="NotSupportedException">The optimizer cannot export its state (a user's optimizer that does not implement <see cref="Optimizers.IOptimizer{T}.ExportState"/>).</exception>
    /// <exception cref="ArgumentException">The network cannot be saved (<see cref="ModelFile.Save{T}"/>'s reasons).</exception>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var progress = _checkpointable ?? throw new InvalidOperationException(
            "A checkpoint is taken at the end of an epoch: call SaveCheckpoint after Fit has finished an epoch (or from a callback's OnEpochEnd), " +
            "not before any Fit, within an epoch, or after a run that ended within one.");
        Checkpoint.Save(path, _network, _optimizer, History, progress);
    }

    /// <summary>Restores a checkpoint into this trainer's objects; returns the first epoch to run and the steps already taken.</summary>
    private (int FirstEpoch, int Step) Resume(string path, TrainingOptions options, int sampleCount, MiniBatches<T> batches)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, "resumeFrom");
        // The options are checked against the file before anything changes: read it once for that, then restore.
        var (progress, history) = Checkpoint.Restore(path, _network, _optimizer, expected => CheckSameRun(expected, options, sampleCount, batches.BatchSize));
        foreach (var report in history) History.Add(report);
        History.Steps = progress.Step;
        batches.StartAfter(progress.Epoch);
        _checkpointable = progress;
        return (progress.Epoch + 1, checked((int)progress.Step));
    }

    private static void CheckSameRun(CheckpointProgress saved, TrainingOptions options, int sampleCount, int batchSize)
    {
        static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        if (saved.SampleCount != sampleCount)
            throw new ArgumentException(Text($"The checkpoint was taken on a training set of {saved.SampleCount} samples, but this one has {sampleCount}; resume on the same data."), "train");
        if (saved.BatchSize != batchSize)
            throw new ArgumentException(Text($"The checkpoint was taken with batches of {saved.BatchSize}, but options.BatchSize gives {batchSize}; resume with the same options."), "options");
        if (saved.Shuffle != options.Shuffle || (saved.Shuffle && saved.Seed != options.Seed))
            throw new ArgumentException(Text($"The checkpoint was taken with Shuffle = {saved.Shuffle}, Seed = {saved.Seed}, but options give Shuffle = {options.Shuffle}, Seed = {options.Seed}; resume with the same options."), "options");
        if (options.Epochs < saved.Epoch)
            throw new ArgumentException(Text($"The checkpoint has finished {saved.Epoch} epochs, more than options.Epochs = {options.Epochs}; ask for at least {saved.Epoch}."), "options");
    }
}
