using System.Globalization;
using System.Text;

namespace NeuralNets.Diagnostics;

/// <summary>
/// One tensor's side of a <see cref="GradientCheck"/>: every analytic derivative of the input or of one
/// parameter next to its central difference, so a caller can see the pattern of a mistake, not only the worst element.
/// </summary>
public sealed class GradientCheckTensor
{
    private readonly double[] _analytic;
    private readonly double[] _numeric;
    private readonly int[] _shape;

    /// <summary>Creates the comparison of one tensor.</summary>
    /// <param name="name"><c>"input"</c> or the parameter's name, e.g. <c>"0.weight"</c>.</param>
    /// <param name="shape">The tensor's shape (the input's includes the batch).</param>
    /// <param name="analytic">The derivatives Backward gave, flat and row-major.</param>
    /// <param name="numeric">The central differences, flat and row-major.</param>
    /// <param name="floor">The relative error's denominator floor.</param>
    public GradientCheckTensor(string name, IReadOnlyList<int> shape, double[] analytic, double[] numeric, double floor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(analytic);
        ArgumentNullException.ThrowIfNull(numeric);
        if (analytic.Length != numeric.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{name}' has {analytic.Length} analytic and {numeric.Length} numeric derivatives."), nameof(numeric));
        Name = name;
        _shape = shape.ToArray();
        _analytic = analytic;
        _numeric = numeric;
        Floor = floor;
    }

    /// <summary><c>"input"</c> or the parameter's name.</summary>
    public string Name { get; }

    /// <summary>The tensor's shape.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The analytic derivatives (from Backward), flat and row-major.</summary>
    public IReadOnlyList<double> Analytic => _analytic;

    /// <summary>The central-difference derivatives, flat and row-major.</summary>
    public IReadOnlyList<double> Numeric => _numeric;

    /// <summary>The denominator floor of <see cref="RelativeError"/>.</summary>
    public double Floor { get; }

    /// <summary>|a − n| / max(|a|, |n|, floor) at one flat index; infinity where either side is NaN.</summary>
    public double RelativeError(int index)
    {
        double a = _analytic[index], n = _numeric[index];
        double error = Math.Abs(a - n) / Math.Max(Floor, Math.Max(Math.Abs(a), Math.Abs(n)));
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }

    /// <summary>The flat index of the largest relative error (0 for an empty tensor).</summary>
    public int WorstIndex
    {
        get
        {
            int worst = 0;
            for (int i = 1; i < _analytic.Length; i++)
                if (RelativeError(i) > RelativeError(worst)) worst = i;
            return worst;
        }
    }

    /// <summary>The largest relative error over the tensor (0 for an empty tensor).</summary>
    public double MaxRelativeError => _analytic.Length == 0 ? 0 : RelativeError(WorstIndex);

    /// <summary>An element's place in the tensor's own coordinates, e.g. <c>0.weight[3, 1, 2, 2]</c>.</summary>
    public string Location(int index) => FormatLocation(Name, _shape, index);

    /// <summary>Writes a flat row-major index as coordinates of <paramref name="shape"/>: <c>name[i, j, …]</c>.</summary>
    /// <remarks>Falls back to the flat index when the shape does not hold it (unknown or mismatched shapes).</remarks>
    public static string FormatLocation(string name, IReadOnlyList<int> shape, int index)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape) count *= d;
        if (shape.Count == 0 || index < 0 || index >= count)
            return string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]");
        var coordinates = new int[shape.Count];
        int rest = index;
        for (int axis = shape.Count - 1; axis >= 0; axis--)
        {
            coordinates[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        var text = new StringBuilder(name).Append('[');
        for (int axis = 0; axis < coordinates.Length; axis++)
        {
            if (axis > 0) text.Append(", ");
            text.Append(coordinates[axis].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(']').ToString();
    }
}
