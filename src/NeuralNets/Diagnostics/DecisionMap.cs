namespace NeuralNets.Diagnostics;

/// <summary>
/// A classifier's class probabilities on a grid of points over a <see cref="PlaneRegion"/>, as
/// <see cref="DecisionBoundary.Evaluate{T}"/> computes them: cell (column, row) holds the probabilities at the cell's centre, row 0 at
/// the top (largest y), column 0 at the left (smallest x).
/// </summary>
public sealed class DecisionMap
{
    private readonly double[] _probabilities;

    internal DecisionMap(PlaneRegion region, int columns, int rows, int classes, double[] probabilities)
    {
        (Region, Columns, Rows, Classes, _probabilities) = (region, columns, rows, classes, probabilities);
    }

    /// <summary>The rectangle the grid covers.</summary>
    public PlaneRegion Region { get; }

    /// <summary>Cells across.</summary>
    public int Columns { get; }

    /// <summary>Cells down.</summary>
    public int Rows { get; }

    /// <summary>Classes: the network's outputs, or 2 for a network with one (sigmoid) output.</summary>
    public int Classes { get; }

    /// <summary>All probabilities, <c>[Rows, Columns, Classes]</c> row-major.</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>The plane point at the centre of a cell.</summary>
    /// <param name="column">0 at the left.</param>
    /// <param name="row">0 at the top.</param>
    public (double X, double Y) PointAt(int column, int row) =>
        (Region.XMin + (column + 0.5) * (Region.XMax - Region.XMin) / Columns, Region.YMax - (row + 0.5) * (Region.YMax - Region.YMin) / Rows);

    /// <summary>The probability of class <paramref name="c"/> in a cell.</summary>
    /// <param name="column">0 at the left.</param>
    /// <param name="row">0 at the top.</param>
    /// <param name="c">The class.</param>
    public double Probability(int column, int row, int c)
    {
        Check(column, row);
        ArgumentRange.ThrowIfNotIndex(c, Classes, nameof(c));
        return _probabilities[(row * Columns + column) * Classes + c];
    }

    /// <summary>The most probable class in a cell (the lower index on a tie).</summary>
    /// <param name="column">0 at the left.</param>
    /// <param name="row">0 at the top.</param>
    public int ClassAt(int column, int row)
    {
        Check(column, row);
        var cell = _probabilities.AsSpan((row * Columns + column) * Classes, Classes);
        int best = 0;
        for (int c = 1; c < cell.Length; c++)
            if (cell[c] > cell[best]) best = c;
        return best;
    }

    private void Check(int column, int row)
    {
        ArgumentRange.ThrowIfNotIndex(column, Columns, nameof(column));
        ArgumentRange.ThrowIfNotIndex(row, Rows, nameof(row));
    }
}
