using System.Text;
namespace NeuralNets.Diagnostics;

/// <summary>Where <see cref="ImageGrid"/> writes each cell's label.</summary>
public enum LabelPlacement
{
    /// <summary>Under the image.</summary>
    Below,

    /// <summary>Over the image.</summary>
    Above,
}

/// <summary>How <see cref="ImageGrid"/> lays out, colours and labels a batch of images.</summary>
public sealed record ImageGridOptions
{
    /// <summary>Images per row; 0 picks the smallest square that holds them all.</summary>
    public int Columns { get; init; }

    /// <summary>White pixels between images and around the grid.</summary>
    public int Spacing { get; init; } = 2;

    /// <summary>Each image pixel drawn as a Zoom×Zoom block.</summary>
    public int Zoom { get; init; } = 1;

    /// <summary>
    /// Signed values in the blue–white–red <see cref="DivergingColorMap"/>, scaled by the largest magnitude, so 0 is white;
    /// otherwise grey levels from the minimum (black) to the maximum (white). Single-channel images only.
    /// </summary>
    public bool Diverging { get; init; }

    /// <summary>Scale every image by its own range (true) or all by the batch's range (false, which keeps images comparable).</summary>
    public bool ScaleEachImage { get; init; }

    /// <summary>Draw a colour-scale bar at the right, from the largest value (top) to the smallest, with its top, middle and
    /// bottom values written beside it; needs a shared scale.</summary>
    public bool ColorBar { get; init; }

    /// <summary>A title centred above the grid; none when null or empty.</summary>
    public string? Title { get; init; }

    /// <summary>One label per image (class names, say), drawn under or over its cell; the count must match the batch.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Label each cell with its index 0, 1, … (when <see cref="Labels"/> is null).</summary>
    public bool IndexLabels { get; init; }

    /// <summary>Whether labels go under or over the images.</summary>
    public LabelPlacement LabelPlacement { get; init; }

    /// <summary>Pixels per font pixel of the title, the labels and the scale's numbers (the font is 5×7).</summary>
    public int TextScale { get; init; } = 1;

    /// <summary>
    /// Write "constant v" over a single-channel image whose values are all equal (a channel a ReLU switched off, say), so that it
    /// does not pass for a dark or pale image on the scale.
    /// </summary>
    public bool MarkConstantImages { get; init; } = true;

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
