using System.Globalization;
using System.Text;
using NeuralNets.Diagnostics;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// Turns a <see cref="GradientCheckResult"/> into the explanation a grader would write: the worst element in its
/// tensor's coordinates, then for each tensor whether it is right and, if not, what the mistake looks like.
/// </summary>
public static class GradientDiagnosis
{
    /// <summary>The full diagnosis of a check at <paramref name="tolerance"/>, one finding a line.</summary>
    /// <param name="result">A result of <see cref="GradientCheck"/> (its <see cref="GradientCheckResult.Tensors"/> give the detail).</param>
    /// <param name="tolerance">The largest relative error that counts as right.</param>
    public static string Explain(this GradientCheckResult result, double tolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder(result.Passed(tolerance) ? "gradient check passed" : "gradient check failed")
            .Append(" at tolerance ").Append(Tolerance(tolerance)).Append(": ").Append(result.ToString());
        var input = result.Tensors.FirstOrDefault(t => t.Name == "input");
        int batch = input is { Shape.Count: > 0 } ? input.Shape[0] : 0;
        var right = new List<string>();
        var wrong = new List<string>();
        foreach (var tensor in result.Tensors)
        {
            text.AppendLine().Append("  ").Append(tensor.Name).Append(' ').Append(GradientPattern.ShapeText(tensor.Shape)).Append(": ");
            if (tensor.MaxRelativeError <= tolerance)
            {
                right.Add(tensor.Name);
                text.Append(KitText.Format($"right (max relative error {tensor.MaxRelativeError:E2})"));
                continue;
            }
            wrong.Add(tensor.Name);
            AppendWrong(text, tensor, batch, tolerance);
        }
        if (right.Contains("input") && wrong.Count > 0)
            text.AppendLine().Append("  The gradient is right for the input but wrong for ").Append(string.Join(", ", wrong))
                .Append(": the chain rule reaches the input correctly, so look at how Backward forms the parameter gradients.");
        else if (wrong.Contains("input") && right.Count > 0)
        {
            // Every wrong tensor is named: a slip shared by the input's and a parameter's gradient (a loop bound) shows in both.
            var parameters = wrong.Where(name => name != "input").ToList();
            text.AppendLine().Append("  The gradient is right for ").Append(string.Join(", ", right)).Append(" but wrong for the input");
            if (parameters.Count == 0) text.Append(": look at the gradient Backward returns.");
            else text.Append(" and for ").Append(string.Join(", ", parameters))
                .Append(": look at the gradient Backward returns and at how it forms the gradient of ").Append(string.Join(", ", parameters)).Append('.');
        }
        return text.ToString();
    }

    private static void AppendWrong(StringBuilder text, GradientCheckTensor tensor, int batch, double tolerance)
    {
        int bad = 0;
        for (int i = 0; i < tensor.Analytic.Count; i++)
            if (tensor.RelativeError(i) > tolerance) bad++;
        text.Append(KitText.Format($"wrong at {bad} of {tensor.Analytic.Count} elements"));
        string? pattern = GradientPattern.Describe(tensor, batch);
        text.Append(pattern is null ? "; no simple pattern (not a constant factor, sign or transpose)" : ": " + pattern);
        int worst = tensor.WorstIndex;
        text.Append(KitText.Format($"; worst at {tensor.Location(worst)}: analytic {tensor.Analytic[worst]:G6}, numeric {tensor.Numeric[worst]:G6}"));
    }

    /// <summary>A tolerance as people write it: <c>1e-6</c>, <c>2.5e-7</c>.</summary>
    internal static string Tolerance(double tolerance) => KitText.Setting(tolerance);

}
