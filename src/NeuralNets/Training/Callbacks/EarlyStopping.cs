using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Training.Callbacks;

/// <summary>Stops training when a monitored figure has stopped improving (Keras's <c>EarlyStopping</c>).</summary>
/// <remarks>
/// <para>After each epoch: the epoch improves when its figure beats the best so far by more than
/// <see cref="MinDelta"/> (for a loss: <c>value &lt; best − minDelta</c>). An improving epoch becomes the best and
/// resets the wait; any other adds one to it, and the run stops (cleanly, through <see cref="TrainingContext{T}.Stop"/>)
/// once the wait reaches <see cref="Patience"/>. With patience 0 the first epoch that does not improve stops the run.</para>
/// <para>With <see cref="RestoreBestWeights"/> the weights of the best epoch, and the running statistics of the network's
/// BatchNorm layers (nested ones too), are copied when it ends and put back, bit for bit, when the run ends, whether it
/// stopped early or ran every epoch (Keras restores only on an early stop): the network then answers as it did at the
/// best epoch's end.</para>
/// <para>A checkpoint keeps the best epoch and value, the wait, the best weights and running statistics
/// (<see cref="IStatefulCallback"/>), so a patience that spans the checkpoint counts on after resuming.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class EarlyStopping<T> : ITrainingCallback<T>, IStatefulCallback where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MonitoredFigure _figure;
    private T[][]? _bestWeights;
    private BatchNorm<T>[] _norms = [];
    private RunningStatisticsCopy<T>[]? _bestStatistics;  // null when unknown: a state written before they were kept
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The figure to watch: <c>val_loss</c> (default), <c>loss</c>, a metric's name or <c>val_</c> and a metric's name.</param>
    /// <param name="patience">Epochs without improvement before the run stops, at least 0. Default 0.</param>
    /// <param name="minDelta">The least change that counts as an improvement, at least 0. Default 0.</param>
    /// <param name="restoreBestWeights">Whether to put the best epoch's weights back at the end. Default false.</param>
    /// <param name="mode">Which direction is better; by default from the figure.</param>
    public EarlyStopping(string monitor = "val_loss", int patience = 0, double minDelta = 0, bool restoreBestWeights = false, MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentRange.ThrowIfNegative(patience);
        if (!(minDelta >= 0 && double.IsFinite(minDelta)))
            throw new ArgumentOutOfRangeException(nameof(minDelta), FormattableString.Invariant($"minDelta must be finite and at least 0, but was {minDelta}."));
        _figure = new MonitoredFigure("EarlyStopping", monitor, mode);
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The figure watched.</summary>
    public string Monitor => _figure.Name;

    /// <summary>Epochs without improvement before the run stops.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are put back at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The best epoch of the latest run (1-based), or 0 before one ended.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The monitored figure at <see cref="BestEpoch"/>.</summary>
    public double BestValue { get; private set; } = double.NaN;

    /// <summary>The epoch after which the latest run was stopped, or 0 when it was not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        (BestEpoch, BestValue, StoppedEpoch, _wait) = (0, double.NaN, 0, 0);
        if (RestoreBestWeights)
        {
            var parameters = context.Network.Parameters;
            _bestWeights = new T[parameters.Count][];
            for (int i = 0; i < parameters.Count; i++) _bestWeights[i] = new T[parameters[i].Length];
            _norms = [.. BatchNormLayers.Of(context.Network).Select(n => n.Layer)];
            _bestStatistics = [.. _norms.Select(n => new RunningStatisticsCopy<T>(n.Features))];
        }
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochReport report)
    {
        double value = _figure.Read(report);
        if (BestEpoch == 0 || _figure.Oriented(value) - MinDelta > _figure.Oriented(BestValue))
        {
            (BestEpoch, BestValue, _wait) = (report.Epoch, value, 0);
            if (_bestWeights is not null)
            {
                for (int i = 0; i < _bestWeights.Length; i++) context.Network.Parameters[i].ValueSpan.CopyTo(_bestWeights[i]);
                _bestStatistics ??= [.. _norms.Select(n => new RunningStatisticsCopy<T>(n.Features))];
                for (int k = 0; k < _norms.Length; k++) _bestStatistics[k].CopyFrom(_norms[k]);
            }
            return;
        }
        if (++_wait >= Patience)
        {
            StoppedEpoch = report.Epoch;
            context.Stop(string.Create(CultureInfo.InvariantCulture,
                $"EarlyStopping: {Monitor} did not improve for {_wait} epoch(s) after its best, {BestValue} at epoch {BestEpoch}"));
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext<T> context)
    {
        if (_bestWeights is null || BestEpoch == 0) return;
        for (int i = 0; i < _bestWeights.Length; i++) context.Network.Parameters[i].SetValue(_bestWeights[i]);
        if (_bestStatistics is null) return;
        for (int k = 0; k < _norms.Length; k++) _bestStatistics[k].RestoreTo(_norms[k]);
    }

    /// <summary>
    /// The best epoch and value, the wait, the stopped epoch and, with <see cref="RestoreBestWeights"/>, the best weights
    /// (<c>weights0</c>, <c>weights1</c>, … by parameter) and the running statistics of the BatchNorm layers
    /// (<c>runningMean0</c>, <c>runningVariance0</c>, <c>batchesTracked0</c>, … by layer, depth first).
    /// </summary>
    public CallbackState ExportState()
    {
        var scalars = new Dictionary<string, double> { ["bestEpoch"] = BestEpoch, ["bestValue"] = BestValue, ["wait"] = _wait, ["stoppedEpoch"] = StoppedEpoch };
        var buffers = new Dictionary<string, double[]>();
        if (_bestWeights is not null && BestEpoch > 0)
            for (int i = 0; i < _bestWeights.Length; i++)
            {
                var copy = new double[_bestWeights[i].Length];
                for (int j = 0; j < copy.Length; j++) copy[j] = double.CreateTruncating(_bestWeights[i][j]);
                buffers[Weights(i)] = copy;
            }
        if (_bestWeights is not null && BestEpoch > 0 && _bestStatistics is not null) RunningStatisticsState.Export(_bestStatistics, buffers, scalars);
        return new CallbackState(StateKind, scalars, buffers);
    }

    /// <inheritdoc/>
    /// <remarks>A state written before the running statistics were kept (best weights alone) still imports: the run then
    /// puts back the best weights alone, as the version that wrote it did.</remarks>
    /// <exception cref="InvalidOperationException">Called before <see cref="OnTrainBegin"/>, with <see cref="RestoreBestWeights"/> on (there is no network to size the weights by yet).</exception>
    public void ImportState(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != StateKind) throw new ArgumentException($"The state is of {state.Kind}, but this callback is {StateKind}.", nameof(state));
        int bestEpoch = state.Count("bestEpoch", 0, int.MaxValue), wait = state.Count("wait", 0, int.MaxValue), stopped = state.Count("stoppedEpoch", 0, int.MaxValue);
        double bestValue = state.Scalar("bestValue");
        if (bestEpoch > 0 && double.IsNaN(bestValue)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The state of {StateKind} has a best epoch {bestEpoch} but no best value."), nameof(state));
        T[][]? weights = null;
        if (RestoreBestWeights && bestEpoch > 0)
        {
            if (_bestWeights is null) throw new InvalidOperationException($"{StateKind}: import the state after OnTrainBegin, which sizes the best weights by the network.");
            weights = new T[_bestWeights.Length][];
            for (int i = 0; i < weights.Length; i++)
            {
                if (!state.Buffers.TryGetValue(Weights(i), out var values) || values is null || values.Length != _bestWeights[i].Length)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"The state of {StateKind} needs '{Weights(i)}' with {_bestWeights[i].Length} values (the best weights of parameter {i}), but has {(values is null ? "none" : values.Length.ToString(CultureInfo.InvariantCulture))}."), nameof(state));
                weights[i] = new T[values.Length];
                for (int j = 0; j < values.Length; j++) weights[i][j] = T.CreateTruncating(values[j]);
            }
        }
        var statistics = weights is not null && RunningStatisticsState.IsIn(state) ? RunningStatisticsState.Import(state, _norms) : null;
        int expected = (weights?.Length ?? 0) + (statistics is null ? 0 : RunningStatisticsState.BufferCount(statistics.Length));
        if (state.Buffers.Count != expected)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The state of {StateKind} holds {state.Buffers.Count} buffers, expected {expected}."), nameof(state));
        (BestEpoch, BestValue, _wait, StoppedEpoch) = (bestEpoch, bestValue, wait, stopped);
        if (weights is not null) (_bestWeights, _bestStatistics) = (weights, statistics);
    }

    private string StateKind => "EarlyStopping:" + Monitor + (RestoreBestWeights ? ":restoreBestWeights" : "");

    private static string Weights(int i) => "weights" + i.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"EarlyStopping(monitor={Monitor}, patience={Patience}, minDelta={MinDelta}, restoreBestWeights={RestoreBestWeights})");
}
