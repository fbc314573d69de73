using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>The mean absolute error, mean of |ŷ − y| over every output of every sample (named <c>mae</c>).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MeanAbsoluteError<T> : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "mae";

    /// <inheritdoc/>
    public bool HigherIsBetter => false;

    /// <inheritdoc/>
    public IMetricAccumulator<T> CreateAccumulator() => new RegressionTally<T>(t => t.MeanAbsoluteError);

    /// <inheritdoc/>
    public override string ToString() => "MeanAbsoluteError";
}
