using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>Numbers as pictures print them: short, culture-invariant, and exact for zero.</summary>
internal static class ScaleText
{
    /// <summary>Three significant digits, in exponent form when very large or very small (<c>0.512</c>, <c>-3.1E-05</c>).</summary>
    public static string Format(double value)
    {
        if (value == 0) return "0";
        if (double.IsNaN(value)) return "NaN";
        double magnitude = Math.Abs(value);
        return magnitude is >= 1e-3 and < 1e5
            ? value.ToString("G3", CultureInfo.InvariantCulture)
            : value.ToString("0.0#E+0", CultureInfo.InvariantCulture);
    }
}
