using System.Globalization;

namespace NeuralNets.Training.Callbacks;

/// <summary>A figure a callback watches in each epoch report, with the direction that counts as better.</summary>
internal sealed class MonitoredFigure(string owner, string name, MonitorMode mode)
{
    private bool? _higherIsBetter = mode switch
    {
        MonitorMode.Min => false,
        MonitorMode.Max => true,
        MonitorMode.Auto => null,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), string.Create(CultureInfo.InvariantCulture, $"{(int)mode} is not a monitor mode.")),
    };

    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("The monitored figure needs a name, e.g. 'val_loss'.", nameof(name)) : name;

    /// <summary>Whether higher is better; known after the first <see cref="Read"/> in auto mode.</summary>
    public bool HigherIsBetter => _higherIsBetter ?? false;

    /// <summary>The figure's value in <paramref name="report"/>; a figure the report lacks throws, listing those it has.</summary>
    public double Read(EpochReport report)
    {
        if (!report.TryGetValue(Name, out double value, out bool higherIsBetter))
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{owner} monitors '{Name}', but epoch {report.Epoch}'s report has only: {string.Join(", ", report.Names())}. ") +
                "Monitor one of those, or pass a validation set (for val_ figures) or the metric.");
        _higherIsBetter ??= higherIsBetter;
        return value;
    }

    /// <summary>The figure's value in <paramref name="report"/>, or false when the report lacks it (for a caller that can do without).</summary>
    public bool TryRead(EpochReport report, out double value)
    {
        if (!report.TryGetValue(Name, out value, out bool higherIsBetter)) return false;
        _higherIsBetter ??= higherIsBetter;
        return true;
    }

    /// <summary>The worst possible value, to start from.</summary>
    public double Worst => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Signed so that larger is better.</summary>
    public double Oriented(double value) => HigherIsBetter ? value : -value;
}
