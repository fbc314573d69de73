using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Reads the settings of one layer description, checking each value before a layer constructor sees
/// it, so that a malformed file is reported by layer and field instead of by whatever a constructor
/// or a cast would throw.
/// </summary>
/// <param name="description">The description being read.</param>
/// <param name="where">Names the file and the layer in messages, e.g. <c>'model.json': layer 1 (Dense)</c>.</param>
internal readonly struct LayerSettings(LayerDescription description, string where)
{
    /// <summary>
    /// The largest kernel, stride or padding accepted. Far above any real network, it keeps the
    /// windows' <c>height + 2·padding</c> arithmetic away from overflow.
    /// </summary>
    public const int MaxWindowLength = 1 << 20;

    /// <summary>An integer setting of at least 1.</summary>
    public int Positive(string key) => Integer(key, 1, int.MaxValue, "a positive integer");

    /// <summary>A kernel or stride length: an integer in [1, <see cref="MaxWindowLength"/>].</summary>
    public int WindowLength(string key) => Integer(key, 1, MaxWindowLength, $"an integer in [1, {MaxWindowLength}]");

    /// <summary>A padding: an integer in [0, <paramref name="max"/>].</summary>
    public int Padding(string key, int max) => Integer(key, 0, max, $"an integer in [0, {max}]");

    /// <summary>Any 32-bit integer, or <paramref name="absent"/> when the setting is missing.</summary>
    public int OptionalInt32(string key, int absent) =>
        description.Settings.ContainsKey(key) ? Integer(key, int.MinValue, int.MaxValue, "a 32-bit integer") : absent;

    /// <summary>A finite, non-negative number.</summary>
    public double NonNegative(string key)
    {
        double value = Value(key);
        return double.IsFinite(value) && value >= 0 ? value : throw Invalid(key, "a finite non-negative number", value);
    }

    /// <summary>A probability in [0, 1).</summary>
    public double Probability(string key)
    {
        double value = Value(key);
        return value is >= 0 and < 1 ? value : throw Invalid(key, "a number in [0, 1)", value);
    }

    private int Integer(string key, int min, int max, string what)
    {
        double value = Value(key);
        // The comparisons are false for NaN, so NaN is refused with the rest.
        return value >= min && value <= max && value == Math.Floor(value) ? (int)value : throw Invalid(key, what, value);
    }

    private double Value(string key) => description.Settings.TryGetValue(key, out double value)
        ? value
        : throw new InvalidDataException($"{where} lacks the setting '{key}'.");

    private InvalidDataException Invalid(string key, string what, double value) =>
        new($"{where}: '{key}' must be {what}, was {value.ToString(CultureInfo.InvariantCulture)}.");
}
