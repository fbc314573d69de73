namespace NeuralNets.Diagnostics;

/// <summary>How <see cref="ImageGrid"/> lays out and colours a batch of images.</summary>
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

    /// <summary>Draw a colour-scale bar at the right, from the largest value (top) to the smallest; needs a shared scale.</summary>
    public bool ColorBar { get; init; }
}
