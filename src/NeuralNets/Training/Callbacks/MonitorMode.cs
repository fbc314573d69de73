namespace NeuralNets.Training.Callbacks;

/// <summary>Which direction of a monitored figure is an improvement.</summary>
public enum MonitorMode
{
    /// <summary>From the figure: lower for the losses, the metric's own <c>HigherIsBetter</c> otherwise.</summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
