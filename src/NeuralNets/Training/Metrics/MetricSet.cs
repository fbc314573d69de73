using System.Globalization;
using System.Numerics;
using NeuralNets.Data;

namespace NeuralNets.Training.Metrics;

/// <summary>The metrics of a run: the caller's, or the default for the data; their accumulators and results.</summary>
internal static class MetricSet
{
    /// <summary>
    /// The caller's metrics, checked (no nulls, distinct names), or when none were given the default: accuracy for a
    /// dataset of class labels (<see cref="Dataset{T}.ClassCount"/> set), nothing otherwise.
    /// </summary>
    public static IMetric<T>[] Resolve<T>(IEnumerable<IMetric<T>>? metrics, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (metrics is null) return data.ClassCount is null ? [] : [new Accuracy<T>()];
        var list = metrics.ToArray();
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null) throw new ArgumentNullException(nameof(metrics), string.Create(CultureInfo.InvariantCulture, $"Metric {i} is null."));
            string name = list[i].Name;
            if (string.IsNullOrWhiteSpace(name) || name.StartsWith("val_", StringComparison.Ordinal) || name is "loss")
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Metric {i} ({list[i]}) is named '{name}'; a metric needs a name that is not empty, not 'loss' and does not start with 'val_' (the prefix of validation figures)."), nameof(metrics));
            for (int j = 0; j < i; j++)
                if (list[j].Name == name)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Metrics {j} and {i} are both named '{name}'; each figure needs a name of its own."), nameof(metrics));
        }
        return list;
    }

    public static IMetricAccumulator<T>[] Accumulators<T>(IMetric<T>[] metrics) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var accumulators = new IMetricAccumulator<T>[metrics.Length];
        for (int i = 0; i < metrics.Length; i++)
            accumulators[i] = metrics[i].CreateAccumulator() ?? throw new InvalidOperationException($"{metrics[i]}.CreateAccumulator() returned null.");
        return accumulators;
    }

    public static MetricValues Results<T>(IMetric<T>[] metrics, IMetricAccumulator<T>[] accumulators) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (metrics.Length == 0) return MetricValues.Empty;
        var values = new MetricValue[metrics.Length];
        for (int i = 0; i < metrics.Length; i++) values[i] = new MetricValue(metrics[i].Name, accumulators[i].Result, metrics[i].HigherIsBetter);
        return new MetricValues(values);
    }
}
