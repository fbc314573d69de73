using System.Globalization;
using System.Text;

namespace NeuralNets.Layers;

/// <summary>
/// What a layer is, independent of its weights: its kind and its hyperparameters. It round-trips
/// through JSON (<c>System.Text.Json</c>) and is what printing, saving and export are built on.
/// </summary>
/// <param name="Kind">The layer's kind, e.g. <c>"Dense"</c>.</param>
/// <param name="Settings">Its hyperparameters by name, e.g. <c>inputs = 784, outputs = 128</c>.</param>
public sealed record LayerDescription(string Kind, IReadOnlyDictionary<string, double> Settings)
{
    /// <summary>A description with no hyperparameters.</summary>
    public static LayerDescription Of(string kind) => new(kind, new Dictionary<string, double>());

    /// <summary>Value equality that compares the settings element by element.</summary>
    public bool Equals(LayerDescription? other) =>
        other is not null && Kind == other.Kind && Settings.Count == other.Settings.Count &&
        Settings.All(kv => other.Settings.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Settings.Count);

    /// <summary>Prints like <c>LeakyReLU(slope=0.01)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Kind).Append('(');
        bool first = true;
        foreach (var (key, value) in Settings)
        {
            if (!first) text.Append(", ");
            text.Append(key).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
        return text.Append(')').ToString();
    }
}
