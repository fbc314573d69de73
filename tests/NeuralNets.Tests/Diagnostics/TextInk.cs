using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>Checks that a picture holds a given text at a given place, pixel for pixel as the font draws it.</summary>
internal static class TextInk
{
    /// <summary>True when every pixel the font inks for <paramref name="text"/> at (x, y) has <paramref name="ink"/> in <paramref name="picture"/>,
    /// and at least one pixel of the text's box that the font leaves blank does not.</summary>
    public static bool Shows(Picture picture, int x, int y, string text, Rgb ink)
    {
        var (width, height) = Picture.MeasureText(text);
        var reference = new Picture(width, height);
        var marker = new Rgb(0, 0, 0);
        reference.DrawText(0, 0, text, marker);  // on white, whatever the ink asked for
        bool blankDiffers = false;
        for (int row = 0; row < height; row++)
            for (int column = 0; column < width; column++)
            {
                bool inked = reference.Get(column, row) == marker;
                var actual = picture.Get(x + column, y + row);
                if (inked && actual != ink) return false;
                if (!inked && actual != ink) blankDiffers = true;
            }
        return blankDiffers;
    }
}
