using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;

namespace NeuralNets.Training.Callbacks;

/// <summary>Saves a checkpoint of the run after an epoch: every epoch, or only when a monitored figure improved (Keras's <c>ModelCheckpoint</c>).</summary>
/// <remarks>
/// <para>The path may hold <c>{epoch}</c>, replaced by the epoch's number (so that each save keeps a file of its own); without
/// it every save overwrites the one before, and with <see cref="SaveBestOnly"/> the file holds the best epoch's state.</para>
/// <para>By default each file is a <see cref="Checkpoint"/> (network, optimizer state, progress, history, random streams),
/// from which <c>Fit(…, resumeFrom: path)</c> continues the run and <see cref="Checkpoint.LoadNetwork{T}"/> reads the
/// network; with <see cref="WeightsOnly"/> it is a model file of <see cref="ModelFile.Save{T}"/>, smaller (no optimizer
/// moments) and loadable by <see cref="ModelFile.Load{T}"/>, but a run cannot resume from it. Either is written atomically:
/// a crash never leaves half a file.</para>
/// <para>A checkpoint keeps the best value so far and the epochs saved (<see cref="IStatefulCallback"/>): a resumed run saves
/// only what beats the best before the interruption, too. The checkpoint is written after every callback's
/// <see cref="ITrainingCallback{T}.OnEpochEnd"/> of the epoch, so it holds their state at the epoch's end whatever their order.</para>
/// <para>An epoch that a callback stopped before its last batch (<see cref="TrainingContext{T}.EpochFinished"/> false) gets
/// no checkpoint, and does not count for the best value: a run resumed from it would skip the batches it never took. With
/// <see cref="WeightsOnly"/> its weights are saved as any epoch's (Keras likewise saves at the end of a stopped epoch).</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ModelCheckpoint<T> : ITrainingCallback<T>, IStatefulCallback where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T> _network;
    private readonly MonitoredFigure _figure;
    private double _best;
    private bool _hasBest;

    /// <summary>Creates the callback.</summary>
    /// <param name="network">The network to save (the one being trained).</param>
    /// <param name="path">The file to write; <c>{epoch}</c> in it is replaced by the epoch.</param>
    /// <param name="monitor">The figure that decides what is best: <c>val_loss</c> (default), <c>loss</c>, a metric's name or <c>val_</c> and a metric's name.</param>
    /// <param name="saveBestOnly">
    /// Whether to save only after an epoch that beats every epoch before it. Default true. Without it every epoch is
    /// saved, and the monitored figure need not be reported (no validation set for <c>val_loss</c>, say): the best value
    /// is then kept only from the epochs that report it.
    /// </param>
    /// <param name="mode">Which direction is better; by default from the figure.</param>
    /// <param name="weightsOnly">Whether to write only the network (a model file) instead of a checkpoint the run can resume from. Default false.</param>
    public ModelCheckpoint(Sequential<T> network, string path, string monitor = "val_loss", bool saveBestOnly = true, MonitorMode mode = MonitorMode.Auto, bool weightsOnly = false)
    {
        WeightsOnly = weightsOnly;
        _network = network ?? throw new ArgumentNullException(nameof(network));
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _figure = new MonitoredFigure("ModelCheckpoint", monitor, mode);
        SaveBestOnly = saveBestOnly;
    }

    /// <summary>The file to write, with <c>{epoch}</c> where the epoch goes.</summary>
    public string Path { get; }

    /// <summary>The figure that decides what is best.</summary>
    public string Monitor => _figure.Name;

    /// <summary>Whether only improving epochs are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether the files are model files (the network only) rather than checkpoints.</summary>
    public bool WeightsOnly { get; }

    /// <summary>The epochs saved in the latest run, in order.</summary>
    public IReadOnlyList<int> SavedEpochs => _saved;

    private readonly List<int> _saved = [];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The callback was given another network than the one trained.</exception>
    /// <exception cref="NotSupportedException">A checkpoint is asked for, but the optimizer cannot export its state (one that does not implement <see cref="Optimizers.IOptimizer{T}.ExportState"/>): fails before the first step rather than after the first epoch.</exception>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        if (!ReferenceEquals(context.Network, _network))
            throw new InvalidOperationException("ModelCheckpoint was given another network than the one being trained; it would save weights that do not change.");
        if (!WeightsOnly) CheckOptimizerExports(context.Optimizer);
        (_hasBest, _best) = (false, double.NaN);
        _saved.Clear();
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochReport report)
    {
        if (!WeightsOnly && !context.EpochFinished) return;
        // Saving every epoch needs no figure: it is only kept as the best so far when the report has it, so that a run
        // resumed with saveBestOnly on saves only what beats it. Saving the best needs it, and says so when it is missing.
        if (_figure.TryRead(report, out double value))
        {
            bool improved = !_hasBest || _figure.Oriented(value) > _figure.Oriented(_best);
            if (improved) (_hasBest, _best) = (true, value);
            if (SaveBestOnly && !improved) return;
        }
        else if (SaveBestOnly) _figure.Read(report);  // throws, listing the figures the report has
        string path = Path.Replace("{epoch}", report.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (WeightsOnly) ModelFile.Save(_network, path);
        else context.SaveCheckpoint(path);
        _saved.Add(report.Epoch);
    }

    private static void CheckOptimizerExports(IOptimizer<T> optimizer)
    {
        try
        {
            optimizer.ExportState();
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException(
                $"ModelCheckpoint writes checkpoints that hold the optimizer's state, but {optimizer} cannot export it ({e.Message}) Pass weightsOnly: true to save the network alone.", e);
        }
    }

    /// <summary>Whether there is a best value, the best value, and the epochs saved (<c>savedEpochs</c>).</summary>
    public CallbackState ExportState()
    {
        var saved = new double[_saved.Count];
        for (int i = 0; i < saved.Length; i++) saved[i] = _saved[i];
        return new(StateKind, new Dictionary<string, double> { ["hasBest"] = _hasBest ? 1 : 0, ["best"] = _best },
            new Dictionary<string, double[]> { ["savedEpochs"] = saved });
    }

    /// <inheritdoc/>
    public void ImportState(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != StateKind) throw new ArgumentException($"The state is of {state.Kind}, but this callback is {StateKind}.", nameof(state));
        bool hasBest = state.Count("hasBest", 0, 1) == 1;
        double best = state.Scalar("best");
        if (hasBest && double.IsNaN(best)) throw new ArgumentException($"The state of {StateKind} says there is a best value but holds NaN.", nameof(state));
        if (state.Buffers.Count != 1 || !state.Buffers.TryGetValue("savedEpochs", out var saved) || saved is null)
            throw new ArgumentException($"The state of {StateKind} must hold one buffer, 'savedEpochs'.", nameof(state));
        var epochs = new List<int>(saved.Length);
        foreach (double epoch in saved)
        {
            if (!(epoch >= 1 && epoch <= int.MaxValue && epoch == Math.Floor(epoch)) || (epochs.Count > 0 && epoch <= epochs[^1]))
                throw new ArgumentException(FormattableString.Invariant($"The state of {StateKind} has the saved epoch {epoch}; saved epochs are whole, positive and increasing."), nameof(state));
            epochs.Add((int)epoch);
        }
        (_hasBest, _best) = (hasBest, best);
        _saved.Clear();
        _saved.AddRange(epochs);
    }

    private string StateKind => "ModelCheckpoint:" + Monitor;

    /// <inheritdoc/>
    public override string ToString() => $"ModelCheckpoint(path={Path}, monitor={Monitor}, saveBestOnly={SaveBestOnly}, weightsOnly={WeightsOnly})";
}
