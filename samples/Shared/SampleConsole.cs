using Spectre.Console;
using Spectre.Console.Rendering;

namespace NeuralNets.Samples;

/// <summary>Where the samples write: through Spectre.Console on a terminal, plainly when the output is redirected.</summary>
internal static class SampleConsole
{
    /// <summary>
    /// Writes one line of plain text. On a terminal it goes through Spectre.Console, so that it appears above any live
    /// progress bars; redirected, it goes to <see cref="Console.Out"/> unwrapped, whatever the assumed width.
    /// </summary>
    public static void Line(string text = "")
    {
        if (AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.WriteLine(text);
        else Console.WriteLine(text);
    }

    /// <summary>Writes a table or any other renderable, followed by an empty line.</summary>
    public static void Show(IRenderable renderable)
    {
        AnsiConsole.Write(renderable);
        Line();
    }
}
