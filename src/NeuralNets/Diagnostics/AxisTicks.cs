using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>Round tick values for an axis: steps of 1, 2 or 5 times a power of ten, about five to an axis.</summary>
internal static class AxisTicks
{
    /// <summary>The tick values inside [<paramref name="low"/>, <paramref name="high"/>] and their labels.</summary>
    public static (double Value, string Label)[] For(double low, double high)
    {
        double raw = (high - low) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw))), scaled = raw / magnitude;
        double step = magnitude * (scaled < 1.5 ? 1 : scaled < 3 ? 2 : scaled < 7 ? 5 : 10);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<(double, string)>();
        for (double k = Math.Ceiling(low / step - 1e-9); k * step <= high + 1e-9 * step; k++)
        {
            double value = k * step;
            string label = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            ticks.Add((value, label.TrimStart('-').Trim('0', '.').Length == 0 ? "0" : label));
        }
        return [.. ticks];
    }
}
