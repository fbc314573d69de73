using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>The root mean squared error, √(mean of (ŷ − y)²) over every output of every sample (named <c>rmse</c>).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RootMeanSquaredError<T> : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "rmse";

    /// <inheritdoc/>
    public bool HigherIsBetter => false;

    /// <inheritdoc/>
    public IMetricAccumulator<T> CreateAccumulator() => new RegressionTally<T>(t => t.RootMeanSquaredError);

    /// <inheritdoc/>
    public override string ToString() => "RootMeanSquaredError";
}
