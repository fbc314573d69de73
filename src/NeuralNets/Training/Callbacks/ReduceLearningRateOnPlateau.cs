using System.Globalization;
using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Training.Callbacks;

/// <summary>Whether <see cref="ReduceLearningRateOnPlateau{T}"/>'s threshold is a share of the best value or an amount.</summary>
public enum ThresholdMode
{
    /// <summary>Better by more than threshold × |best| (PyTorch's <c>rel</c>).</summary>
    Relative,

    /// <summary>Better by more than threshold (PyTorch's <c>abs</c>).</summary>
    Absolute,
}

/// <summary>Multiplies the optimizer's learning rate by a factor when a monitored figure stops improving (PyTorch's <c>ReduceLROnPlateau</c>).</summary>
/// <remarks>
/// After each epoch, as PyTorch steps it: an epoch is better when (minimising, relative) <c>value &lt; best·(1 − threshold)</c>,
/// (absolute) <c>value &lt; best − threshold</c>, and mirrored when maximising. A better epoch resets the count of bad
/// epochs, any other adds one; during a cooldown after a reduction bad epochs are not counted. When the count exceeds
/// <see cref="Patience"/>: <c>η ← max(η·factor, η_min)</c> (kept when the change is below ε = 1e−8), the count starts
/// again and the cooldown begins. The new rate holds from the next epoch's first step. A checkpoint keeps the best
/// value, the count of bad epochs and the cooldown left (<see cref="IStatefulCallback"/>); the rate is the optimizer's.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReduceLearningRateOnPlateau<T> : ITrainingCallback<T>, IStatefulCallback where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Epsilon = 1e-8;
    private readonly IOptimizer<T> _optimizer;
    private readonly MonitoredFigure _figure;
    private double _best;
    private int _badEpochs, _cooldownLeft;

    /// <summary>Creates the callback.</summary>
    /// <param name="optimizer">The optimizer whose rate to reduce.</param>
    /// <param name="monitor">The figure to watch: <c>val_loss</c> (default), <c>loss</c>, a metric's name or <c>val_</c> and a metric's name.</param>
    /// <param name="factor">The factor applied to the rate, in (0, 1). Default 0.1.</param>
    /// <param name="patience">Bad epochs allowed before a reduction, at least 0. Default 10.</param>
    /// <param name="threshold">The least improvement that counts, at least 0. Default 1e-4.</param>
    /// <param name="thresholdMode">Whether the threshold is relative to the best value or absolute. Default relative.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted, at least 0. Default 0.</param>
    /// <param name="minimumRate">η_min, the rate never goes below, at least 0. Default 0.</param>
    /// <param name="mode">Which direction is better; by default from the figure.</param>
    public ReduceLearningRateOnPlateau(IOptimizer<T> optimizer, string monitor = "val_loss", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0, double minimumRate = 0, MonitorMode mode = MonitorMode.Auto)
    {
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), FormattableString.Invariant($"factor must lie in (0, 1), but was {factor}."));
        ArgumentRange.ThrowIfNegative(patience);
        ArgumentRange.ThrowIfNegative(cooldown);
        if (!(threshold >= 0 && double.IsFinite(threshold))) throw new ArgumentOutOfRangeException(nameof(threshold), FormattableString.Invariant($"threshold must be finite and at least 0, but was {threshold}."));
        if (!(minimumRate >= 0 && double.IsFinite(minimumRate))) throw new ArgumentOutOfRangeException(nameof(minimumRate), FormattableString.Invariant($"minimumRate must be finite and at least 0, but was {minimumRate}."));
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentOutOfRangeException(nameof(thresholdMode), FormattableString.Invariant($"{(int)thresholdMode} is not a ThresholdMode."));
        _figure = new MonitoredFigure("ReduceLearningRateOnPlateau", monitor, mode);
        (Factor, Patience, Threshold, ThresholdMode, Cooldown, MinimumRate) = (factor, patience, threshold, thresholdMode, cooldown, minimumRate);
    }

    /// <summary>The figure watched.</summary>
    public string Monitor => _figure.Name;

    /// <summary>The factor applied to the rate.</summary>
    public double Factor { get; }

    /// <summary>Bad epochs allowed before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The least improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Whether the threshold is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The rate never goes below this.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context) => (_best, _badEpochs, _cooldownLeft) = (double.NaN, 0, 0);

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochReport report)
    {
        double value = _figure.Read(report);
        if (double.IsNaN(_best)) _best = _figure.Worst;
        if (IsBetter(value))
        {
            _best = value;
            _badEpochs = 0;
        }
        else _badEpochs++;
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            double old = _optimizer.LearningRate;
            double reduced = Math.Max(old * Factor, MinimumRate);
            if (old - reduced > Epsilon) _optimizer.LearningRate = reduced;
            _cooldownLeft = Cooldown;
            _badEpochs = 0;
        }
    }

    private bool IsBetter(double value)
    {
        double best = _figure.Oriented(_best), current = _figure.Oriented(value);
        // Oriented so that larger is better: PyTorch's min/rel test a < best·(1 − t) reads −a > −best·(1 − t) here.
        double needed = ThresholdMode == ThresholdMode.Relative
            ? (_figure.HigherIsBetter ? _best * (1 + Threshold) : -_best * (1 - Threshold))
            : best + Threshold;
        return current > needed;
    }

    /// <summary>The best value (NaN before the first epoch), the count of bad epochs and the cooldown left.</summary>
    public CallbackState ExportState() => new(StateKind,
        new Dictionary<string, double> { ["best"] = _best, ["badEpochs"] = _badEpochs, ["cooldownLeft"] = _cooldownLeft },
        new Dictionary<string, double[]>());

    /// <inheritdoc/>
    public void ImportState(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != StateKind) throw new ArgumentException($"The state is of {state.Kind}, but this callback is {StateKind}.", nameof(state));
        if (state.Buffers.Count != 0) throw new ArgumentException($"The state of {StateKind} holds buffers; it keeps none.", nameof(state));
        double best = state.Scalar("best");
        int bad = state.Count("badEpochs", 0, int.MaxValue), cooldown = state.Count("cooldownLeft", 0, Cooldown);
        (_best, _badEpochs, _cooldownLeft) = (best, bad, cooldown);
    }

    private string StateKind => "ReduceLearningRateOnPlateau:" + Monitor;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ReduceLearningRateOnPlateau(monitor={Monitor}, factor={Factor}, patience={Patience}, threshold={Threshold}, thresholdMode={ThresholdMode}, cooldown={Cooldown}, minimumRate={MinimumRate})");
}
