using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>Numbers as pictures print them: short, culture-invariant, and exact for zero.</summary>
internal static class ScaleText
{
    /// <summary>Three significant digits below 1000, whole numbers up to 99 999, exponent form beyond and below 0.001 (<c>0.512</c>, <c>1235</c>, <c>-3.1E-5</c>).</summary>
    public static string Format(double value)
    {
        if (value == 0) return "0";
        if (double.IsNaN(value)) return "NaN";
        double magnitude = Math.Abs(value);
        return magnitude switch
        {
            >= 1e-3 and < 1e3 => value.ToString("G3", CultureInfo.InvariantCulture),
            >= 1e3 and < 1e5 => value.ToString("0", CultureInfo.InvariantCulture),
            _ => value.ToString("0.0#E+0", CultureInfo.InvariantCulture),
        };
    }
}
