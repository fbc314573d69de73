using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>The mean loss of a network on a dataset, and the metrics asked for.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Metrics">Each metric's value over the samples, in the order they were given.</param>
public sealed record Evaluation(double Loss, MetricValues Metrics)
{
    /// <summary>The value of the metric named <c>accuracy</c>, or null when it was not among the metrics.</summary>
    public double? Accuracy => Metrics.TryGetValue("accuracy", out double value) ? value : null;

    /// <summary>Prints like <c>loss 0.4410  accuracy 0.8430</c>, the same in every culture.</summary>
    public override string ToString()
    {
        string text = FormattableString.Invariant($"loss {Loss:F4}");
        return Metrics.Count == 0 ? text : text + "  " + Metrics;
    }
}
