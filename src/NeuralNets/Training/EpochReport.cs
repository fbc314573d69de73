using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>The figures of one finished epoch.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (each at the weights before its step).</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch, or null without one.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double? ValidationLoss, TimeSpan Elapsed)
{
    /// <summary>The training metrics over the epoch's batches (each at the weights before its step).</summary>
    public MetricValues Metrics { get; init; } = MetricValues.Empty;

    /// <summary>The metrics on the validation set after the epoch; empty without one.</summary>
    public MetricValues ValidationMetrics { get; init; } = MetricValues.Empty;

    /// <summary>The steps taken this epoch: the batches of an epoch, or fewer when a callback stopped the run within it.</summary>
    public int Steps { get; init; }

    /// <summary>The optimizer's learning rate during the epoch's last step.</summary>
    public double LearningRate { get; init; }

    /// <summary>
    /// The mean over the epoch's steps of the gradients' global L2 norm before clipping, when the run clips gradients
    /// (<see cref="TrainingOptions.MaxGradientNorm"/> or <see cref="TrainingOptions.GradientClipValue"/>); null otherwise.
    /// </summary>
    public double? GradientNorm { get; init; }

    /// <summary>The largest of the epoch's global gradient norms before clipping, when the run clips gradients; null otherwise.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>The training metric named <c>accuracy</c>, or null when it was not asked for.</summary>
    public double? TrainAccuracy => Metrics.TryGetValue("accuracy", out double value) ? value : null;

    /// <summary>The validation metric named <c>accuracy</c>, or null.</summary>
    public double? ValidationAccuracy => ValidationMetrics.TryGetValue("accuracy", out double value) ? value : null;

    /// <summary>
    /// Looks a figure up by the name Keras would log it under: <c>loss</c>, <c>val_loss</c>, a metric's name
    /// (<c>accuracy</c>) or <c>val_</c> and a metric's name (<c>val_accuracy</c>).
    /// </summary>
    /// <param name="name">The figure's name.</param>
    /// <param name="value">Its value this epoch.</param>
    /// <param name="higherIsBetter">Whether a larger value is better (false for the losses).</param>
    public bool TryGetValue(string name, out double value, out bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(name);
        higherIsBetter = false;
        value = double.NaN;
        if (name == "loss")
        {
            value = TrainLoss;
            return true;
        }
        if (name == "val_loss")
        {
            value = ValidationLoss ?? double.NaN;
            return ValidationLoss is not null;
        }
        bool validation = name.StartsWith("val_", StringComparison.Ordinal);
        if (!(validation ? ValidationMetrics : Metrics).TryGet(validation ? name[4..] : name, out var metric)) return false;
        (value, higherIsBetter) = (metric.Value, metric.HigherIsBetter);
        return true;
    }

    /// <summary>The names <see cref="TryGetValue"/> knows this epoch, for messages.</summary>
    public IEnumerable<string> Names()
    {
        yield return "loss";
        foreach (var m in Metrics) yield return m.Name;
        if (ValidationLoss is not null) yield return "val_loss";
        foreach (var m in ValidationMetrics) yield return "val_" + m.Name;
    }

    /// <summary>One line such as <c>epoch 3/10  loss 0.4121  accuracy 0.8512  val_loss 0.4410  val_accuracy 0.8430  (1.2 s)</c>.</summary>
    public override string ToString()
    {
        var text = FormattableString.Invariant($"epoch {Epoch}/{Epochs}  loss {TrainLoss:F4}");
        foreach (var m in Metrics) text += "  " + m;
        if (ValidationLoss is double vl) text += FormattableString.Invariant($"  val_loss {vl:F4}");
        foreach (var m in ValidationMetrics) text += FormattableString.Invariant($"  val_{m.Name} {m.Value:F4}");
        if (GradientNorm is double norm) text += FormattableString.Invariant($"  grad_norm {norm:F4}");
        return text + FormattableString.Invariant($"  ({Elapsed.TotalSeconds:F1} s)");
    }
}
