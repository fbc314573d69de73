namespace NeuralNets.Training.Metrics;

/// <summary>One reported figure: a metric's name and value over a pass.</summary>
/// <param name="Name">The metric's name, e.g. <c>accuracy</c>.</param>
/// <param name="Value">Its value over the pass.</param>
/// <param name="HigherIsBetter">Whether a larger value is better.</param>
public readonly record struct MetricValue(string Name, double Value, bool HigherIsBetter)
{
    /// <summary>Prints like <c>accuracy 0.8430</c>, the same in every culture.</summary>
    public override string ToString() => FormattableString.Invariant($"{Name} {Value:F4}");
}
