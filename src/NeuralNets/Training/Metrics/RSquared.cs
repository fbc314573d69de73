using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>
/// The coefficient of determination R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)², averaged over the outputs as scikit-learn's
/// <c>r2_score</c> does by default (named <c>r2</c>); an output whose targets do not vary scores 1 when predicted exactly, else 0.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RSquared<T> : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public string Name => "r2";

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <inheritdoc/>
    public IMetricAccumulator<T> CreateAccumulator() => new RegressionTally<T>(t => t.RSquared);

    /// <inheritdoc/>
    public override string ToString() => "RSquared";
}
