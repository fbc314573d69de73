using System.Globalization;

namespace NeuralNets.Testing;

/// <summary>
/// How the kit writes numbers into its messages: in the invariant culture, a small setting the way people write it
/// (<c>1e-8</c>, not <c>1E-08</c>), and a zero without its sign (a dropped or rectified element is −0 in IEEE
/// arithmetic, which reads like a slip in a message that compares it with 0).
/// </summary>
internal static class KitText
{
    /// <summary>The format provider of every kit message: <c>string.Create(KitText.Numbers, $"…")</c>.</summary>
    public static IFormatProvider Numbers { get; } = new NumberFormatter();

    /// <summary>Writes <paramref name="text"/> with <see cref="Numbers"/>.</summary>
    public static string Format(FormattableString text) => text.ToString(Numbers);

    /// <summary>
    /// A setting or tolerance as people write it: below 1e-3 in exponent form without padding (<c>1e-6</c>,
    /// <c>2.5e-7</c>), otherwise as the shortest round-trip text (<c>0.001</c>, <c>0.9</c>).
    /// </summary>
    public static string Setting(double value) =>
        value != 0 && Math.Abs(value) < 1e-3 && double.IsFinite(value)
            ? value.ToString("0.###############e0", CultureInfo.InvariantCulture)
            : Unsigned(value).ToString(CultureInfo.InvariantCulture);

    // -0 + 0 is +0; every other value passes unchanged.
    private static double Unsigned(double value) => value + 0.0;

    private sealed class NumberFormatter : IFormatProvider, ICustomFormatter
    {
        public object? GetFormat(Type? formatType) =>
            formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
        {
            double value when string.IsNullOrEmpty(format) => Setting(value),
            double value => Unsigned(value).ToString(format, CultureInfo.InvariantCulture),
            float value => (value + 0f).ToString(format, CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            null => "",
            _ => arg.ToString() ?? "",
        };
    }
}
