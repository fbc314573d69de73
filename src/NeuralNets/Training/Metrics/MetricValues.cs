using System.Collections;

namespace NeuralNets.Training.Metrics;

/// <summary>The figures of one pass, in the order the metrics were given, looked up by name.</summary>
public sealed class MetricValues : IReadOnlyList<MetricValue>
{
    private readonly MetricValue[] _values;

    /// <summary>Creates the list; names must be distinct.</summary>
    /// <exception cref="ArgumentException">Two values share a name.</exception>
    public MetricValues(IEnumerable<MetricValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.ToArray();
        for (int i = 0; i < _values.Length; i++)
            for (int j = 0; j < i; j++)
                if (_values[i].Name == _values[j].Name)
                    throw new ArgumentException($"Two metrics are named '{_values[i].Name}'; each figure needs a name of its own.", nameof(values));
    }

    /// <summary>No figures.</summary>
    public static MetricValues Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public MetricValue this[int index] => _values[index];

    /// <summary>The value of the metric named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists those there are.</exception>
    public double this[string name] => TryGetValue(name, out double value) ? value
        : throw new KeyNotFoundException($"No metric is named '{name}'; there are: {(Count == 0 ? "none" : string.Join(", ", _values.Select(v => v.Name)))}.");

    /// <summary>Looks up the value of the metric named <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, out double value)
    {
        foreach (var v in _values)
            if (v.Name == name)
            {
                value = v.Value;
                return true;
            }
        value = double.NaN;
        return false;
    }

    /// <summary>Looks up the figure named <paramref name="name"/>, with its direction.</summary>
    public bool TryGet(string name, out MetricValue metric)
    {
        foreach (var v in _values)
            if (v.Name == name)
            {
                metric = v;
                return true;
            }
        metric = default;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<MetricValue> GetEnumerator() => ((IEnumerable<MetricValue>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Prints like <c>accuracy 0.8430  top_5_accuracy 0.9910</c>, the same in every culture.</summary>
    public override string ToString() => string.Join("  ", _values.Select(v => v.ToString()));
}
