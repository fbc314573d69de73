using System.Globalization;

namespace NeuralNets.Samples;

/// <summary>Parses command-line option values for the samples, with messages that name the option and the value.</summary>
internal static class OptionValues
{
    public static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} must be an integer, but was '{text}'.");

    public static int Positive(string name, string text) =>
        Integer(name, text) is > 0 and var value ? value : throw new ArgumentException($"{name} must be positive, but was {text}.");

    public static int NonNegative(string name, string text) =>
        Integer(name, text) is >= 0 and var value ? value : throw new ArgumentException($"{name} must not be negative, but was {text}.");

    public static double PositiveReal(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name} must be a positive number, but was '{text}'.");
}
