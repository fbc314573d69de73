using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>The outcome of a <see cref="GradientCheck"/>: the worst disagreement between the analytic and the numeric gradient.</summary>
/// <param name="MaxRelativeError">The largest |analytic − numeric| / max(|analytic|, |numeric|, floor) over every element checked.</param>
/// <param name="Where">Where it occurred: <c>"input"</c> or a parameter's name, e.g. <c>"0.weight"</c>.</param>
/// <param name="Index">The flat (row-major) index of that element; <see cref="Location"/> gives it in the tensor's coordinates.</param>
/// <param name="Analytic">The analytic derivative there (from Backward).</param>
/// <param name="Numeric">The central-difference derivative there.</param>
/// <param name="ElementsChecked">How many derivatives were compared.</param>
public sealed record GradientCheckResult(double MaxRelativeError, string Where, int Index, double Analytic, double Numeric, int ElementsChecked)
{
    /// <summary>Every tensor compared (the input first, then each parameter), with all its derivatives; empty when the result was made by hand.</summary>
    /// <remarks>Not part of the record's value equality beyond reference: two checks of the same layer hold different lists.</remarks>
    public IReadOnlyList<GradientCheckTensor> Tensors { get; init; } = [];

    /// <summary>Where the worst element is, in its tensor's own coordinates, e.g. <c>0.weight[3, 1, 2, 2]</c>; the flat index when the shape is unknown.</summary>
    public string Location
    {
        get
        {
            foreach (var tensor in Tensors)
                if (tensor.Name == Where) return tensor.Location(Index);
            return GradientCheckTensor.FormatLocation(Where, [], Index);
        }
    }

    /// <summary>
    /// The result of comparing <paramref name="tensors"/>: the worst element over all of them (the first tensor's first
    /// element when none errs, so that the result still names a real place), and how many were compared. A check of
    /// one's own (another objective, another floor) builds its tensors and summarises them with this, as
    /// <see cref="GradientCheck"/> does.
    /// </summary>
    /// <param name="tensors">The tensors compared, the input first by convention; empty ones are skipped.</param>
    public static GradientCheckResult Of(IReadOnlyList<GradientCheckTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var worst = new GradientCheckResult(0, "input", 0, 0, 0, 0);
        int checkedCount = 0;
        foreach (var tensor in tensors)
        {
            if (tensor.Analytic.Count == 0) continue;
            int index = tensor.WorstIndex;
            double error = tensor.RelativeError(index);
            if (error > worst.MaxRelativeError || checkedCount == 0)
                worst = new GradientCheckResult(error, tensor.Name, index, tensor.Analytic[index], tensor.Numeric[index], 0);
            checkedCount += tensor.Analytic.Count;
        }
        return worst with { ElementsChecked = checkedCount, Tensors = tensors };
    }

    /// <summary>Whether the worst relative error is at most <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-6) => MaxRelativeError <= tolerance;

    /// <summary>One line for a test failure or a console.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"max relative error {MaxRelativeError:E3} at {Location} (analytic {Analytic:G10}, numeric {Numeric:G10}; {ElementsChecked} elements checked)");
}
