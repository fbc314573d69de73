using System.Globalization;
using System.Numerics;
using NeuralNets.Serialization;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Training;

public sealed partial class Trainer<T>
{
    // Where the run stands when it is at an epoch's end (after the epoch's report, before the next epoch starts); null
    // within an epoch, before any Fit, and after a run that ended within one (cancelled, diverged).
    private CheckpointProgress? _checkpointable;

    // The latest epoch, when a callback stopped the run within it: the steps it took of its batches, for SaveCheckpoint's message.
    private (int Epoch, int Steps, int Batches)? _truncatedEpoch;

    // The callbacks of the latest Fit (their states go into checkpoints); the states read from resumeFrom, put back after
    // OnTrainBegin; and checkpoints asked for during OnEpochEnd, written once every callback's OnEpochEnd has run.
    private ITrainingCallback<T>[] _callbacks = [];
    private CallbackState[]? _resumedCallbacks;
    private ResumeUndo<T>? _resumeUndo;  // what the resume replaced, put back if Fit throws before its first step
    private readonly List<string> _pendingCheckpoints = [];
    private bool _inEpochEnd;

    /// <summary>
    /// Writes a checkpoint of the run (<see cref="Checkpoint"/>): network, optimizer state, epochs and steps finished,
    /// history and random streams, so that <c>Fit(…, resumeFrom: path)</c> on freshly built objects continues it bit for bit.
    /// Written atomically: a crash never leaves half a file.
    /// </summary>
    /// <remarks>
    /// Call it after <see cref="Fit"/> returned, or from a callback's <see cref="Callbacks.ITrainingCallback{T}.OnEpochEnd"/>
    /// (through <see cref="Callbacks.TrainingContext{T}.SaveCheckpoint"/>): checkpoints are taken at epoch ends only. From
    /// a callback, the file is written once every callback's <c>OnEpochEnd</c> of the epoch has run, so that it holds the
    /// state of each <see cref="IStatefulCallback"/> of the run at the epoch's end, whatever their order.
    /// </remarks>
    /// <param name="path">The file to write.</param>
    /// <exception cref="InvalidOperationException">
    /// No epoch has ended since the run began (before any <see cref="Fit"/>, within an epoch, or after a run that ended
    /// within one: cancelled, diverged, or stopped by a callback from <see cref="Callbacks.ITrainingCallback{T}.OnBatchEnd"/>
    /// before the epoch's last batch, whose <c>OnEpochEnd</c> cannot checkpoint it either), or the network is not a
    /// <see cref="Layers.Sequential{T}"/>.
    /// </exception>
    /// <exception cref="NotSupportedException">The optimizer cannot export its state (a user's optimizer that does not implement <see cref="Optimizers.IOptimizer{T}.ExportState"/>).</exception>
    /// <exception cref="ArgumentException">The network cannot be saved (<see cref="ModelFile.Save{T}"/>'s reasons).</exception>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_checkpointable is null && _truncatedEpoch is { } truncated)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {truncated.Epoch} ended after {truncated.Steps} of its {truncated.Batches} batches: a callback stopped the run within an epoch, and a checkpoint of it would ") +
                "resume with the next epoch, skipping the batches this one never took. Checkpoints are taken at the ends of whole epochs; " +
                "ModelFile.Save writes the weights alone.");
        var progress = _checkpointable ?? throw new InvalidOperationException(
            "A checkpoint is taken at the end of an epoch: call SaveCheckpoint after Fit has finished an epoch (or from a callback's OnEpochEnd), " +
            "not before any Fit, within an epoch, or after a run that ended within one.");
        if (_inEpochEnd) _pendingCheckpoints.Add(path);
        else Checkpoint.Save(path, _network, _optimizer, History, progress, CallbackStates());
    }

    private CallbackState[] CallbackStates()
    {
        var states = new List<CallbackState>();
        foreach (var callback in _callbacks)
            if (callback is IStatefulCallback stateful) states.Add(stateful.ExportState());
        return [.. states];
    }

    /// <summary>Runs every callback's OnEpochEnd, then writes the checkpoints they asked for.</summary>
    private void EpochEndCallbacks(ITrainingCallback<T>[] listeners, TrainingContext<T> context, EpochReport report)
    {
        _pendingCheckpoints.Clear();
        _inEpochEnd = true;
        try
        {
            foreach (var c in listeners) c.OnEpochEnd(context, report);
        }
        finally
        {
            _inEpochEnd = false;
        }
        if (_pendingCheckpoints.Count == 0) return;
        var states = CallbackStates();
        foreach (string path in _pendingCheckpoints) Checkpoint.Save(path, _network, _optimizer, History, _checkpointable!, states);
        _pendingCheckpoints.Clear();
    }

    /// <summary>
    /// After OnTrainBegin of a resumed run: gives each stateful callback the first saved state of its kind not yet taken
    /// (so the same callbacks in the same order get their own states back). A callback without one starts afresh, and a
    /// state without a callback is left unused: resuming without the ModelCheckpoint that wrote the file is allowed.
    /// A state a callback refuses refuses the whole resume: the network, the optimizer and the callbacks are put back as
    /// they were before it (a callback can only take its state once OnTrainBegin has run, and OnTrainBegin sees the restored network).
    /// </summary>
    private void ImportCallbackStates(string? resumeFrom)
    {
        var states = _resumedCallbacks;
        _resumedCallbacks = null;
        if (resumeFrom is null || states is null) return;
        var taken = new bool[states.Length];
        for (int i = 0; i < _callbacks.Length; i++)
        {
            if (_callbacks[i] is not IStatefulCallback stateful) continue;
            string kind = stateful.ExportState().Kind;
            int match = Array.FindIndex(states, s => s.Kind == kind);
            while (match >= 0 && taken[match]) match = Array.FindIndex(states, match + 1, s => s.Kind == kind);
            if (match < 0) continue;
            taken[match] = true;
            try
            {
                stateful.ImportState(states[match]);
            }
            catch (ArgumentException e)
            {
                var refusals = new List<Exception>();
                string after = TakeBackResume(refusals)
                    ? "Nothing was resumed: the network and optimizer are as they were, and no epoch ran."
                    : $"The network is as it was and no epoch ran, but {_optimizer} cannot export its state, so it holds the checkpoint's.";
                throw WithRefusals(new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"'{resumeFrom}': the saved state of callback {i} ({_callbacks[i]}) is damaged: {e.Message} {after}"), e), refusals);
            }
        }
    }

    /// <summary>
    /// Puts back what a resume changed, when Fit throws before its first step (nothing when it was no resume, or the run
    /// is under way); false when the optimizer could not be (it cannot export its state, so it holds the checkpoint's).
    /// A refused resume leaves no epoch end behind to checkpoint: the restored progress goes with the restore.
    /// </summary>
    private bool TakeBackResume(List<Exception> refusals)
    {
        if (_resumeUndo is not { } undo) return true;
        _resumeUndo = null;
        _checkpointable = null;
        History = undo.History;
        return undo.Undo(refusals);
    }

    /// <summary>
    /// <paramref name="failure"/> itself, or, when callbacks refused their states while the resume was taken back, an
    /// <see cref="AggregateException"/> of it first and the refusals after: neither is lost.
    /// </summary>
    private static Exception WithRefusals(Exception failure, List<Exception> refusals) =>
        refusals.Count == 0 ? failure : new AggregateException(
            "Fit failed before its first step (the first inner exception), and taking the resume back failed too (the others).", [failure, .. refusals]);

    /// <summary>
    /// Restores a checkpoint into this trainer's objects and <paramref name="history"/> (which becomes <see cref="History"/>
    /// once the resume is accepted); returns the first epoch to run and the steps already taken.
    /// </summary>
    private (int FirstEpoch, int Step) Resume(string path, TrainingOptions options, int sampleCount, MiniBatches<T> batches, TrainingHistory history)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, "resumeFrom");
        // The options are checked against the file before anything changes: read it once for that, then restore.
        var (progress, saved, callbacks, undo) = Checkpoint.Restore(path, _network, _optimizer, expected => CheckSameRun(expected, options, sampleCount, batches.BatchSize));
        (_resumedCallbacks, _resumeUndo) = (callbacks, new ResumeUndo<T>(undo, History));
        foreach (var report in saved) history.Add(report);
        history.Steps = progress.Step;
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
