using System.Text;
namespace NeuralNets.Diagnostics;

/// <summary>How <see cref="DecisionBoundary.Draw{T}"/> draws a classifier's regions over the plane.</summary>
public sealed record DecisionBoundaryOptions
{
    /// <summary>The rectangle drawn; when null, the points' bounding box widened by 10 % on each side.</summary>
    public PlaneRegion? Region { get; init; }

    /// <summary>Width of the plot area in pixels (one network evaluation per pixel).</summary>
    public int Width { get; init; } = 360;

    /// <summary>Height of the plot area in pixels.</summary>
    public int Height { get; init; } = 360;

    /// <summary>The title above the plot; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>Names of the classes for the legend; indices when null.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Pixels per font pixel of the title, ticks and legend (the font is 5×7).</summary>
    public int TextScale { get; init; } = 1;

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
