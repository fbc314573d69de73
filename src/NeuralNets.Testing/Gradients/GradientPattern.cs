using System.Globalization;
using NeuralNets.Diagnostics;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// Recognises what a wrong gradient looks like next to the right one: a constant factor (often the batch
/// size), the opposite sign, zero everywhere, or the transpose of a matrix gradient.
/// </summary>
public static class GradientPattern
{
    // Closer than this to an exact pattern (relative residual) counts as the pattern; real slips land far from it.
    private const double PatternTolerance = 1e-4;

    // Factors closer to 1 than this would read "about 1 times too large" at three digits.
    private const double NearOne = 5e-3;

    /// <summary>Describes how <paramref name="tensor"/>'s analytic gradient departs from its central differences, in a phrase; null when no simple pattern fits.</summary>
    /// <param name="tensor">One tensor of a gradient check.</param>
    /// <param name="batch">The batch size of the check, used to recognise a sum where a mean belongs (and the reverse); 0 when unknown.</param>
    public static string? Describe(GradientCheckTensor tensor, int batch)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        // NaN and infinity defeat every fit below (a NaN residual compares false, so a pattern would be claimed): name them first.
        string? notFinite = NotFinite(tensor, tensor.Analytic, "Backward gave") ?? NotFinite(tensor, tensor.Numeric, "the layer's output is not finite near it: the central difference is");
        if (notFinite is not null) return notFinite;
        double numericNorm = Norm(tensor.Numeric), analyticNorm = Norm(tensor.Analytic);
        if (analyticNorm == 0 && numericNorm > 0) return "zero everywhere: Backward leaves this gradient untouched or writes zeros";
        if (numericNorm == 0) return analyticNorm > 0 ? "should be zero everywhere (the output does not depend on it), but is not" : null;
        if (IsTranspose(tensor)) return Transposed(tensor.Shape);

        double k = Dot(tensor.Analytic, tensor.Numeric) / (numericNorm * numericNorm);
        if (Residual(tensor, k) > PatternTolerance * Math.Max(1, Math.Abs(k))) return null;
        // A factor that rounds to 1 is no pattern to report: the gradient is right overall and wrong only in detail.
        if (Math.Abs(k - 1) < NearOne) return KitText.Format($"close to the right one overall (within {Math.Abs(k - 1):G2} as a whole), but not within the tolerance element by element");
        if (Math.Abs(k + 1) < 1e-3) return "the opposite sign of the right one";
        if (k < 0) return KitText.Format($"the opposite sign and about {-k:G3} times as large");
        if (k >= 1) return KitText.Format($"about {k:G3} times too large") + BatchHint(k, batch, "summed over the batch, not averaged");
        return KitText.Format($"about {1 / k:G3} times too small") + BatchHint(1 / k, batch, "divided by the batch size, but only the loss averages over the batch");
    }

    private static string? NotFinite(GradientCheckTensor tensor, IReadOnlyList<double> values, string who)
    {
        int count = 0, first = -1;
        for (int i = 0; i < values.Count; i++)
        {
            if (double.IsFinite(values[i])) continue;
            if (first < 0) first = i;
            count++;
        }
        return first < 0 ? null
            : KitText.Format($"{who} {values[first]} at {tensor.Location(first)} ({count} of {values.Count} elements are NaN or infinite)");
    }

    private static string BatchHint(double factor, int batch, string hint) =>
        batch > 1 && Math.Abs(factor - batch) < 1e-3 * batch ? KitText.Format($" (the batch holds {batch} samples: {hint})") : "";

    // A flat [r, c] buffer that holds Gᵀ (shape [c, r]) has a[p·r + q] = G[q, p] = n[q·c + p].
    // A square gradient keeps its shape when transposed, so only the swapped indices can say what went wrong.
    private static string Transposed(IReadOnlyList<int> shape) => shape[0] == shape[1]
        ? $"the transpose of the right one: the gradient of the {ShapeText(shape)} tensor has its rows and columns swapped (element [i, j] holds what belongs at [j, i])"
        : $"the transpose of the right one: the gradient of a {ShapeText(shape)} tensor was formed as {ShapeText([shape[1], shape[0]])}";

    private static bool IsTranspose(GradientCheckTensor tensor)
    {
        if (tensor.Shape.Count != 2 || tensor.Shape[0] < 2 || tensor.Shape[1] < 2) return false;
        int r = tensor.Shape[0], c = tensor.Shape[1];
        double scale = Math.Max(tensor.Floor, MaxAbs(tensor.Numeric));
        for (int p = 0; p < c; p++)
            for (int q = 0; q < r; q++)
                if (Math.Abs(tensor.Analytic[p * r + q] - tensor.Numeric[q * c + p]) > PatternTolerance * scale) return false;
        return true;
    }

    private static double Residual(GradientCheckTensor tensor, double k)
    {
        double sum = 0;
        for (int i = 0; i < tensor.Analytic.Count; i++)
        {
            double d = tensor.Analytic[i] - k * tensor.Numeric[i];
            sum += d * d;
        }
        return Math.Sqrt(sum) / Norm(tensor.Analytic);
    }

    private static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double Norm(IReadOnlyList<double> a) => Math.Sqrt(Dot(a, a));

    private static double MaxAbs(IReadOnlyList<double> a)
    {
        double max = 0;
        foreach (double v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    internal static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

}
