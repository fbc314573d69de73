namespace NeuralNets.Training;

/// <summary>What held a non-finite value after a step (<see cref="WeightSnapshots{T}.CaptureIfFinite"/>): a parameter, or a BatchNorm's running statistic.</summary>
/// <param name="name">The parameter's name, or the statistic's as PyTorch's <c>state_dict</c> keys it (<c>"1.running_var"</c>).</param>
/// <param name="runningStatistic">Whether it is a running statistic rather than a parameter.</param>
internal readonly struct NonFiniteState(string name, bool runningStatistic)
{
    /// <summary>The parameter's or the statistic's name.</summary>
    public string Name { get; } = name;

    /// <summary>Whether it is a running statistic rather than a parameter.</summary>
    public bool RunningStatistic { get; } = runningStatistic;

    /// <summary>What it is, for a message: <c>parameter '0.weight'</c>, <c>running statistic '1.running_var'</c>.</summary>
    public string Describe() => (RunningStatistic ? "running statistic '" : "parameter '") + Name + "'";
}
