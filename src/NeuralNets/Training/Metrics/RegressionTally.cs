using System.Globalization;
using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>
/// Running sums for the regression figures, in double: |e| and e² over every element, and per output column the
/// targets' mean and squared deviations (Welford's update, stable where Σy² − (Σy)²/n would cancel).
/// </summary>
internal sealed class RegressionTally<T> : IMetricAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Func<RegressionTally<T>, double> _result;
    private double _absoluteSum, _squaredSum;
    private double[] _mean = [], _deviations = [], _residuals = [];
    private long _samples;

    public RegressionTally(Func<RegressionTally<T>, double> result) => _result = result;

    public void Reset()
    {
        (_absoluteSum, _squaredSum, _samples) = (0, 0, 0);
        Array.Clear(_mean);
        Array.Clear(_deviations);
        Array.Clear(_residuals);
    }

    public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int batchSize)
    {
        var (width, targetWidth) = ClassDecoding.Widths("Regression metric", output, target, batchSize);
        if (targetWidth != width)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Regression metric: targets of {targetWidth} values per sample do not match outputs of {width}; regression targets are shaped like the output."));
        if (_mean.Length != width)
        {
            if (_samples > 0) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Regression metric: a batch of {width} outputs per sample after batches of {_mean.Length}."));
            (_mean, _deviations, _residuals) = (new double[width], new double[width], new double[width]);
        }
        for (int n = 0; n < batchSize; n++)
        {
            _samples++;
            for (int j = 0; j < width; j++)
            {
                double y = double.CreateChecked(target[n * width + j]), e = double.CreateChecked(output[n * width + j]) - y;
                _absoluteSum += Math.Abs(e);
                _squaredSum += e * e;
                _residuals[j] += e * e;
                double delta = y - _mean[j];
                _mean[j] += delta / _samples;
                _deviations[j] += delta * (y - _mean[j]);
            }
        }
    }

    public double Result => _samples == 0 ? throw new InvalidOperationException("Regression metric: no batch was added.") : _result(this);

    /// <summary>Mean of |ŷ − y| over every element.</summary>
    public double MeanAbsoluteError => _absoluteSum / (_samples * _mean.Length);

    /// <summary>√(mean of (ŷ − y)² over every element).</summary>
    public double RootMeanSquaredError => Math.Sqrt(_squaredSum / (_samples * _mean.Length));

    /// <summary>
    /// The mean over outputs of R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)² (scikit-learn's <c>r2_score</c>, <c>uniform_average</c>); an
    /// output whose targets do not vary scores 1 when predicted exactly and 0 otherwise, as scikit-learn's <c>force_finite</c>.
    /// </summary>
    public double RSquared
    {
        get
        {
            double sum = 0;
            for (int j = 0; j < _mean.Length; j++)
                sum += _deviations[j] == 0 ? (_residuals[j] == 0 ? 1 : 0) : 1 - _residuals[j] / _deviations[j];
            return sum / _mean.Length;
        }
    }

    public long Samples => _samples;
}
