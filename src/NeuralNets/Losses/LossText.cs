using System.Globalization;

namespace NeuralNets.Losses;

/// <summary>The settings the class-index losses print in their <c>ToString()</c>, written once for them.</summary>
internal static class LossText
{
    /// <summary><c>", classWeights=[…]"</c> when there are weights and <c>", ignoreIndex=i"</c> when there is an ignored index, in that order; empty for neither.</summary>
    public static string Settings(double[]? weights, int? ignoreIndex) =>
        (weights is null ? "" : ", classWeights=[" + string.Join(", ", weights.Select(w => w.ToString(CultureInfo.InvariantCulture))) + "]")
        + (ignoreIndex is { } ignored ? ", ignoreIndex=" + ignored.ToString(CultureInfo.InvariantCulture) : "");
}
