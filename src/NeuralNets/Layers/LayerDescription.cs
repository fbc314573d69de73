using System.Globalization;
using System.Text;

namespace NeuralNets.Layers;

/// <summary>
/// What a layer is, independent of its weights: its kind and its hyperparameters. It round-trips
/// through JSON (<c>System.Text.Json</c>) and is what printing, saving and export are built on.
/// </summary>
/// <remarks>
/// Numbers go in <see cref="Settings"/>; a layer of your own that needs words or lists of lengths puts them in
/// <see cref="TextSettings"/> and <see cref="ListSettings"/>, and a container (such as <see cref="Sequential{T}"/>)
/// lists the descriptions of the layers it holds in <see cref="Layers"/>. A model file keeps all four.
/// </remarks>
/// <param name="Kind">The layer's kind, e.g. <c>"Dense"</c>: the name it is registered under (<see cref="Serialization.LayerRegistry"/>).</param>
/// <param name="Settings">Its numeric hyperparameters by name, e.g. <c>inputs = 784, outputs = 128</c>.</param>
public sealed record LayerDescription(string Kind, IReadOnlyDictionary<string, double> Settings)
{
    private static readonly IReadOnlyDictionary<string, string> NoText = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<int>> NoLists = new Dictionary<string, IReadOnlyList<int>>();

    /// <summary>Hyperparameters that are words, by name, e.g. <c>mode = "nearest"</c>; empty by default.</summary>
    public IReadOnlyDictionary<string, string> TextSettings { get; init; } = NoText;

    /// <summary>Hyperparameters that are lists of integers (shapes, sizes), by name, e.g. <c>shape = [4, 4]</c>; empty by default.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> ListSettings { get; init; } = NoLists;

    /// <summary>For a container, the descriptions of the layers it holds, in order; empty for any other layer.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; init; } = [];

    /// <summary>A description with no hyperparameters.</summary>
    public static LayerDescription Of(string kind) => new(kind, new Dictionary<string, double>());

    /// <summary>Value equality that compares the settings element by element and the inner layers in order.</summary>
    public bool Equals(LayerDescription? other) =>
        other is not null && Kind == other.Kind
        && SameEntries(Settings, other.Settings, (a, b) => a.Equals(b))
        && SameEntries(TextSettings, other.TextSettings, (a, b) => a == b)
        && SameEntries(ListSettings, other.ListSettings, (a, b) => a.SequenceEqual(b))
        && Layers.SequenceEqual(other.Layers);

    private static bool SameEntries<TValue>(IReadOnlyDictionary<string, TValue> a, IReadOnlyDictionary<string, TValue> b, Func<TValue, TValue, bool> same) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && same(kv.Value, v));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Settings.Count, TextSettings.Count, ListSettings.Count, Layers.Count);

    /// <summary>Prints like <c>LeakyReLU(slope=0.01)</c>; words in quotes, lists in brackets, inner layers after the settings.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (var (key, value) in Settings) parts.Add(key + "=" + value.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in TextSettings) parts.Add(key + "=\"" + value + "\"");
        foreach (var (key, value) in ListSettings)
            parts.Add(key + "=[" + string.Join(", ", value.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]");
        foreach (var layer in Layers) parts.Add(layer.ToString());
        return new StringBuilder(Kind).Append('(').AppendJoin(", ", parts).Append(')').ToString();
    }
}
