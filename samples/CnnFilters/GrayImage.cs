namespace CnnFiltersSample;

/// <summary>An 8-bit grayscale picture, row-major, 0 black and 255 white.</summary>
internal sealed class GrayImage
{
    public GrayImage(int width, int height, byte background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
        Array.Fill(Pixels, background);
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>
    /// Lays <paramref name="tiles"/> (each <paramref name="tileHeight"/>×<paramref name="tileWidth"/> values) out in a grid of
    /// <paramref name="columns"/>, every value drawn as a <paramref name="scale"/>×<paramref name="scale"/> block, tiles
    /// separated by <paramref name="gap"/> white pixels. Each tile is scaled on its own: <paramref name="signed"/> maps 0 to
    /// mid-gray and ±max|v| to white/black (for weights); otherwise min → black, max → white (for activations).
    /// </summary>
    public static GrayImage Grid(IReadOnlyList<float[]> tiles, int tileHeight, int tileWidth, int columns, int scale, int gap, bool signed)
    {
        int rows = (tiles.Count + columns - 1) / columns;
        int cellW = tileWidth * scale, cellH = tileHeight * scale;
        var image = new GrayImage(gap + columns * (cellW + gap), gap + rows * (cellH + gap), background: 255);
        for (int t = 0; t < tiles.Count; t++)
        {
            var shades = Shades(tiles[t], signed);
            int left = gap + (t % columns) * (cellW + gap), top = gap + (t / columns) * (cellH + gap);
            for (int y = 0; y < cellH; y++)
                for (int x = 0; x < cellW; x++)
                    image.Pixels[(top + y) * image.Width + left + x] = shades[(y / scale) * tileWidth + x / scale];
        }
        return image;
    }

    private static byte[] Shades(float[] values, bool signed)
    {
        var shades = new byte[values.Length];
        float min = values.Min(), max = values.Max();
        if (signed)
        {
            float limit = Math.Max(Math.Abs(min), Math.Abs(max));
            for (int i = 0; i < values.Length; i++)
                shades[i] = limit == 0 ? (byte)128 : (byte)Math.Round(127.5 + 127.5 * values[i] / limit);
        }
        else
        {
            float range = max - min;
            for (int i = 0; i < values.Length; i++)
                shades[i] = range == 0 ? (byte)0 : (byte)Math.Round(255.0 * (values[i] - min) / range);
        }
        return shades;
    }
}
