using System.Text;
namespace NeuralNets.Diagnostics;

/// <summary>An 8-bit RGB colour.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>A grey level.</summary>
    /// <param name="level">0 black, 255 white.</param>
    public static Rgb Grey(byte level) => new(level, level, level);

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
