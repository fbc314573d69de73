using System.Text;
namespace NeuralNets.Diagnostics;

/// <summary>How <see cref="AdversarialPanel"/> draws its rows.</summary>
public sealed record AdversarialPanelOptions
{
    /// <summary>Each image pixel drawn as a Zoom×Zoom block. Default 4.</summary>
    public int Zoom { get; init; } = 4;

    /// <summary>A title above the panel; none when null.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// The height and width of one image when the inputs are flattened (<c>[N, H·W]</c>, an MLP's); null takes a square
    /// image for flattened inputs and the tensor's own height and width for <c>[N, H, W]</c> and <c>[N, 1, H, W]</c>.
    /// </summary>
    public (int Height, int Width)? ImageSize { get; init; }

    /// <summary>The valid range of a pixel, drawn black (low) to white (high). Default [0, 1].</summary>
    public (double Low, double High) PixelRange { get; init; } = (0, 1);

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
