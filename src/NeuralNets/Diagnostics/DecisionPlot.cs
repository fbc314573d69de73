namespace NeuralNets.Diagnostics;

/// <summary>What <see cref="DecisionBoundary.Draw{T}"/> returns: the picture, the probabilities it shows, and where the plane lies in it.</summary>
public sealed class DecisionPlot
{
    internal DecisionPlot(Picture picture, DecisionMap map, int plotLeft, int plotTop)
    {
        (Picture, Map, PlotLeft, PlotTop) = (picture, map, plotLeft, plotTop);
    }

    /// <summary>The finished picture, ready to <see cref="Picture.SavePng"/>.</summary>
    public Picture Picture { get; }

    /// <summary>The probabilities behind the colours: one cell per pixel of the plot area.</summary>
    public DecisionMap Map { get; }

    /// <summary>Column of the plot area's left pixel in <see cref="Picture"/>.</summary>
    public int PlotLeft { get; }

    /// <summary>Row of the plot area's top pixel in <see cref="Picture"/>.</summary>
    public int PlotTop { get; }

    /// <summary>The pixel of <see cref="Picture"/> where the plane point (x, y) is drawn (outside the plot area for a point outside the region).</summary>
    /// <param name="x">The point's first coordinate.</param>
    /// <param name="y">The point's second coordinate.</param>
    public (int X, int Y) PixelOf(double x, double y)
    {
        var r = Map.Region;
        return (PlotLeft + (int)Math.Floor((x - r.XMin) / (r.XMax - r.XMin) * Map.Columns),
                PlotTop + (int)Math.Floor((r.YMax - y) / (r.YMax - r.YMin) * Map.Rows));
    }
}
