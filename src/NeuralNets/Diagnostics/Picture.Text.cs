namespace NeuralNets.Diagnostics;

public sealed partial class Picture
{
    /// <summary>Draws <paramref name="text"/> in the built-in 5×7 pixel font; <c>\n</c> starts a new line. Clipped to the picture.</summary>
    /// <param name="x">Column of the first character's left edge.</param>
    /// <param name="y">Row of the first line's top edge.</param>
    /// <param name="text">The text. Printable ASCII, Greek letters and the symbols captions use (×, ², ≥, →, …) have glyphs;
    /// any other character is drawn as a hollow box.</param>
    /// <param name="color">The ink.</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentRange.ThrowIfNegativeOrZero(scale);
        int left = x;
        foreach (char character in text)
        {
            if (character == '\n')
            {
                (x, y) = (left, y + PixelFont.LineHeight * scale);
                continue;
            }
            var glyph = PixelFont.Glyph(character);
            for (int row = 0; row < PixelFont.GlyphHeight; row++)
                for (int column = 0; column < PixelFont.GlyphWidth; column++)
                    if ((glyph[row] >> (PixelFont.GlyphWidth - 1 - column) & 1) != 0)
                        Fill(x + column * scale, y + row * scale, scale, scale, color);
            x += PixelFont.Advance * scale;
        }
    }

    /// <summary>The size <see cref="DrawText"/> gives <paramref name="text"/>: the widest line, and the lines' height (without the space after the last).</summary>
    /// <param name="text">The text; <c>\n</c> separates lines.</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    /// <returns>Width and height in pixels; (0, 0) for empty text.</returns>
    public static (int Width, int Height) MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentRange.ThrowIfNegativeOrZero(scale);
        if (text.Length == 0) return (0, 0);
        string[] lines = text.Split('\n');
        int longest = lines.Max(line => line.Length);
        int width = longest == 0 ? 0 : (longest * PixelFont.Advance - 1) * scale;
        int height = ((lines.Length - 1) * PixelFont.LineHeight + PixelFont.GlyphHeight) * scale;
        return (width, height);
    }

    /// <summary>A copy of this picture with <paramref name="title"/> centred in a white band above it (wider if the title needs it).</summary>
    /// <param name="title">The title; <c>\n</c> separates lines.</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    /// <param name="color">The ink; black when null.</param>
    /// <returns>A new picture; this one is not changed.</returns>
    public Picture WithTitle(string title, int scale = 1, Rgb? color = null)
    {
        var (textWidth, textHeight) = MeasureText(title, scale);
        int margin = 3 * scale;
        int width = Math.Max(Width, textWidth + 2 * margin), band = textHeight + 2 * margin;
        var titled = new Picture(width, Height + band);
        titled.DrawText((width - textWidth) / 2, margin, title, color ?? new Rgb(0, 0, 0), scale);
        titled.Paste(this, (width - Width) / 2, band);
        return titled;
    }
}
