using System.Globalization;

namespace NeuralNets.Training.Metrics;

/// <summary>How a regression network did on a dataset: MAE, RMSE and R². Made by <see cref="Evaluator.ReportRegression{T}"/>.</summary>
/// <param name="Samples">The number of samples.</param>
/// <param name="MeanAbsoluteError">Mean of |ŷ − y| over every output of every sample.</param>
/// <param name="RootMeanSquaredError">√(mean of (ŷ − y)²) over every output of every sample.</param>
/// <param name="RSquared">R² averaged over the outputs, as scikit-learn's <c>r2_score</c> (see <see cref="RSquared{T}"/>).</param>
public sealed record RegressionReport(long Samples, double MeanAbsoluteError, double RootMeanSquaredError, double RSquared)
{
    /// <summary>Prints like <c>mae 0.1234  rmse 0.2345  r2 0.9876  (500 samples)</c>, the same in every culture.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"mae {MeanAbsoluteError:F4}  rmse {RootMeanSquaredError:F4}  r2 {RSquared:F4}  ({Samples} samples)");
}
