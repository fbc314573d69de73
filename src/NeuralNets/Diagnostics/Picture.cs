using System.Globalization;

namespace NeuralNets.Diagnostics;

/// <summary>An RGB raster to draw diagnostics into and save as PNG: row-major, three bytes a pixel, white to start with.</summary>
public sealed partial class Picture
{
    private readonly byte[] _pixels;

    /// <summary>Creates a white picture.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    public Picture(int width, int height)
    {
        ArgumentRange.ThrowIfNegativeOrZero(width);
        ArgumentRange.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 > Array.MaxLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A {width}×{height} picture is larger than one array can hold."), nameof(width));
        (Width, Height) = (width, height);
        _pixels = new byte[width * height * 3];
        Array.Fill(_pixels, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, row-major RGB.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Sets one pixel; coordinates outside the picture are ignored, so shapes may run over its edge.</summary>
    /// <param name="x">Column, 0 at the left.</param>
    /// <param name="y">Row, 0 at the top.</param>
    /// <param name="color">The colour.</param>
    public void Set(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        (_pixels[i], _pixels[i + 1], _pixels[i + 2]) = (color.R, color.G, color.B);
    }

    /// <summary>The colour of one pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public Rgb Get(int x, int y)
    {
        ArgumentRange.ThrowIfNotIndex(x, Width, nameof(x));
        ArgumentRange.ThrowIfNotIndex(y, Height, nameof(y));
        int i = (y * Width + x) * 3;
        return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>Fills a rectangle, clipped to the picture.</summary>
    public void Fill(int x, int y, int width, int height, Rgb color)
    {
        for (int row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
            for (int column = Math.Max(0, x); column < Math.Min(Width, x + width); column++) Set(column, row, color);
    }

    /// <summary>Copies <paramref name="source"/> into this picture with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), clipped to this picture.</summary>
    /// <param name="source">The picture to copy; not changed.</param>
    /// <param name="x">Column of the source's left edge.</param>
    /// <param name="y">Row of the source's top edge.</param>
    public void Paste(Picture source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int row = 0; row < source.Height; row++)
            for (int column = 0; column < source.Width; column++) Set(x + column, y + row, source.Get(column, row));
    }

    /// <summary>Saves the picture as an RGB PNG.</summary>
    /// <param name="path">The file to create or replace.</param>
    public void SavePng(string path) => PngWriter.Save(path, Width, Height, rgb: true, _pixels);

    /// <summary>Writes the picture as an RGB PNG to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where it goes.</param>
    public void WritePng(Stream stream) => PngWriter.Write(stream, Width, Height, rgb: true, _pixels);
}
