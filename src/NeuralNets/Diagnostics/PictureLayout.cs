using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>Puts finished pictures (panels) side by side or one above another on a white background.</summary>
public static class PictureLayout
{
    /// <summary>The panels left to right, tops aligned, <paramref name="spacing"/> white pixels between and around them.</summary>
    /// <param name="panels">At least one picture.</param>
    /// <param name="spacing">White pixels between panels and at the edges.</param>
    /// <returns>A new picture.</returns>
    public static Picture Row(IReadOnlyList<Picture> panels, int spacing = 8)
    {
        Check(panels, spacing);
        var row = new Picture(panels.Sum(p => p.Width) + (panels.Count + 1) * spacing, panels.Max(p => p.Height) + 2 * spacing);
        int x = spacing;
        foreach (var panel in panels)
        {
            row.Paste(panel, x, spacing);
            x += panel.Width + spacing;
        }
        return row;
    }

    /// <summary>The panels top to bottom, each centred horizontally, <paramref name="spacing"/> white pixels between and around them.</summary>
    /// <param name="panels">At least one picture.</param>
    /// <param name="spacing">White pixels between panels and at the edges.</param>
    /// <returns>A new picture.</returns>
    public static Picture Column(IReadOnlyList<Picture> panels, int spacing = 8)
    {
        Check(panels, spacing);
        int width = panels.Max(p => p.Width) + 2 * spacing;
        var column = new Picture(width, panels.Sum(p => p.Height) + (panels.Count + 1) * spacing);
        int y = spacing;
        foreach (var panel in panels)
        {
            column.Paste(panel, (width - panel.Width) / 2, y);
            y += panel.Height + spacing;
        }
        return column;
    }

    private static void Check(IReadOnlyList<Picture> panels, int spacing)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentRange.ThrowIfNegative(spacing);
        if (panels.Count == 0) throw new ArgumentException("A layout needs at least one panel, but got none.", nameof(panels));
        for (int i = 0; i < panels.Count; i++)
            if (panels[i] is null) throw new ArgumentNullException(nameof(panels), string.Create(CultureInfo.InvariantCulture, $"Panel {i} is null."));
    }
}
