using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Reads the settings of one <see cref="LayerDescription"/>, checking each value before a layer constructor sees it,
/// so that a malformed file is reported by layer and field instead of by whatever a constructor or a cast would throw.
/// A <see cref="LayerKind"/> reads its layer's hyperparameters through it.
/// </summary>
/// <remarks>
/// Every reader throws <see cref="InvalidDataException"/> naming the file, the layer and the setting. The settings read (or
/// asked about with <see cref="Has"/>) are the ones the kind knows: loading refuses a description that holds any other,
/// unless the layer built from it describes that setting again.
/// </remarks>
public readonly struct LayerSettings
{
    /// <summary>
    /// The largest kernel, stride or padding accepted. Far above any real network, it keeps the
    /// windows' <c>height + 2·padding</c> arithmetic away from overflow.
    /// </summary>
    public const int MaxWindowLength = 1 << 20;

    private readonly string _place;
    private readonly string? _separator;  // when set, the place is _place, _separator, _index: made only when a message needs it
    private readonly int _index;
    private readonly List<(string Group, string Key)>? _consulted;  // shared by the copies of this reader: what Parameters and Create read adds up

    /// <summary>Reads <paramref name="description"/>; messages name it as "layer".</summary>
    /// <param name="description">The description to read.</param>
    public LayerSettings(LayerDescription description) : this(description, "layer") { }

    /// <summary>Reads <paramref name="description"/>; <paramref name="place"/> names it in messages, e.g. <c>'model.json': layer 1</c>.</summary>
    internal LayerSettings(LayerDescription description, string place)
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
        _place = place;
        _consulted = [];
    }

    /// <summary>
    /// Reads <paramref name="description"/>, the layer at <paramref name="index"/> of <paramref name="parent"/> (<c>'model.json': layer 1</c>
    /// from <c>'model.json'</c>, <c>": layer "</c> and 1): the text is made only for a message, not for each of a file's many layers.
    /// </summary>
    internal LayerSettings(LayerDescription description, string parent, string separator, int index) : this(description, parent)
    {
        _separator = separator;
        _index = index;
    }

    /// <summary>The description being read.</summary>
    public LayerDescription Description { get; }

    /// <summary>The layer's kind.</summary>
    public string Kind => Description.Kind;

    /// <summary>Where the layer is, for messages: the file and its position, e.g. <c>'model.json': layer 1</c>.</summary>
    public string Place => _separator is null ? _place ?? "layer" : string.Create(CultureInfo.InvariantCulture, $"{_place}{_separator}{_index}");

    /// <summary>The place and the kind, e.g. <c>'model.json': layer 1 (Dense)</c>, as messages about its settings begin.</summary>
    private string Where => $"{Place} ({Kind})";

    /// <summary>An integer setting of at least 1.</summary>
    /// <param name="key">The setting's name.</param>
    public int Positive(string key) => Integer(key, 1, int.MaxValue, "a positive integer");

    /// <summary>A kernel or stride length: an integer in [1, <see cref="MaxWindowLength"/>].</summary>
    /// <param name="key">The setting's name.</param>
    public int WindowLength(string key) => Integer(key, 1, MaxWindowLength, string.Create(CultureInfo.InvariantCulture, $"an integer in [1, {MaxWindowLength}]"));

    /// <summary>A padding: an integer in [0, <paramref name="max"/>].</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="max">The largest padding accepted.</param>
    public int Padding(string key, int max) => Integer(key, 0, max, string.Create(CultureInfo.InvariantCulture, $"an integer in [0, {max}]"));

    /// <summary>Any 32-bit integer, or <paramref name="absent"/> when the setting is missing.</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="absent">The value when the description lacks the setting (a file written before it existed).</param>
    public int OptionalInt32(string key, int absent)
    {
        Consult(nameof(LayerDescription.Settings), key);
        return Description.Settings.ContainsKey(key) ? Integer(key, int.MinValue, int.MaxValue, "a 32-bit integer") : absent;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    public int Int32(string key, int min, int max) =>
        Integer(key, min, max, string.Create(CultureInfo.InvariantCulture, $"an integer in [{min}, {max}]"));

    /// <summary>A finite number.</summary>
    /// <param name="key">The setting's name.</param>
    public double Finite(string key)
    {
        double value = Value(key);
        return double.IsFinite(value) ? value : throw Invalid(key, "a finite number", value);
    }

    /// <summary>A finite, non-negative number.</summary>
    /// <param name="key">The setting's name.</param>
    public double NonNegative(string key)
    {
        double value = Value(key);
        return double.IsFinite(value) && value >= 0 ? value : throw Invalid(key, "a finite non-negative number", value);
    }

    /// <summary>A probability in [0, 1).</summary>
    /// <param name="key">The setting's name.</param>
    public double Probability(string key)
    {
        double value = Value(key);
        return value is >= 0 and < 1 ? value : throw Invalid(key, "a number in [0, 1)", value);
    }

    /// <summary>A word from <see cref="LayerDescription.TextSettings"/>.</summary>
    /// <param name="key">The setting's name.</param>
    public string Text(string key)
    {
        Consult(nameof(LayerDescription.TextSettings), key);
        return Description.TextSettings.TryGetValue(key, out string? value) ? value : throw new InvalidDataException($"{Where} lacks the text setting '{key}'.");
    }

    /// <summary>A non-empty list of positive integers (a shape) from <see cref="LayerDescription.ListSettings"/>.</summary>
    /// <param name="key">The setting's name.</param>
    public IReadOnlyList<int> Lengths(string key)
    {
        var list = List(key);
        if (list.Count == 0) throw new InvalidDataException($"{Where}: '{key}' must be a non-empty list of positive integers, was empty.");
        for (int i = 0; i < list.Count; i++)
            if (list[i] <= 0)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Where}: '{key}[{i}]' must be a positive integer, was {list[i]}."));
        return list;
    }

    /// <summary>A list of integers from <see cref="LayerDescription.ListSettings"/>.</summary>
    /// <param name="key">The setting's name.</param>
    public IReadOnlyList<int> List(string key)
    {
        Consult(nameof(LayerDescription.ListSettings), key);
        return Description.ListSettings.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{Where} lacks the list setting '{key}'.");
    }

    /// <summary>Whether the description has a setting of any of the three sorts named <paramref name="key"/>.</summary>
    /// <param name="key">The setting's name.</param>
    public bool Has(string key)
    {
        Consult(nameof(LayerDescription.Settings), key);
        Consult(nameof(LayerDescription.TextSettings), key);
        Consult(nameof(LayerDescription.ListSettings), key);
        return Description.Settings.ContainsKey(key) || Description.TextSettings.ContainsKey(key) || Description.ListSettings.ContainsKey(key);
    }

    /// <summary>The number of inner layers (<see cref="LayerDescription.Layers"/>), for a container.</summary>
    public int LayerCount => Description.Layers.Count;

    /// <summary>A reader of inner layer <paramref name="index"/>, whose messages name it as e.g. <c>layer 1.0</c>.</summary>
    /// <param name="index">The inner layer's position.</param>
    public LayerSettings Layer(int index)
    {
        ArgumentRange.ThrowIfNegative(index);
        ArgumentRange.ThrowIfGreaterThanOrEqual(index, LayerCount);
        return new LayerSettings(Description.Layers[index], Place, ".", index);
    }

    /// <summary>An error about this layer, beginning with its place and kind.</summary>
    /// <param name="message">What is wrong, e.g. <c>'groups' must divide 'channels'</c>.</param>
    public InvalidDataException Error(string message) => new($"{Where}: {message}");

    private int Integer(string key, int min, int max, string what)
    {
        double value = Value(key);
        // The comparisons are false for NaN, so NaN is refused with the rest.
        return value >= min && value <= max && value == Math.Floor(value) ? (int)value : throw Invalid(key, what, value);
    }

    private double Value(string key)
    {
        Consult(nameof(LayerDescription.Settings), key);
        return Description.Settings.TryGetValue(key, out double value) ? value : throw new InvalidDataException($"{Where} lacks the setting '{key}'.");
    }

    /// <summary>
    /// The settings the kind has read or asked about so far, in that order, each with the description's field that holds it
    /// (<c>Settings</c>, <c>TextSettings</c> or <c>ListSettings</c>): the ones it knows (see <see cref="UnknownSettings"/>).
    /// </summary>
    internal IReadOnlyList<(string Group, string Key)> Consulted => _consulted ?? [];

    /// <summary>Notes that the kind asked for <paramref name="key"/> in <paramref name="group"/>, present or not: a setting it knows.</summary>
    private void Consult(string group, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_consulted is not null && !_consulted.Contains((group, key))) _consulted.Add((group, key));
    }

    private InvalidDataException Invalid(string key, string what, double value) =>
        new($"{Where}: '{key}' must be {what}, was {value.ToString(CultureInfo.InvariantCulture)}.");
}
