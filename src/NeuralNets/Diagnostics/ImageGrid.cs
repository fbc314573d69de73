using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Lays a batch of images (filters, feature maps, saliency maps, generated samples) out as a grid in a <see cref="Picture"/>,
/// in grey levels, RGB or a diverging colour map, with an optional colour-scale bar.
/// </summary>
public static class ImageGrid
{
    private const int BarWidth = 12;

    /// <summary>Draws <paramref name="images"/>: <c>[N, H, W]</c> or <c>[N, 1, H, W]</c> single-channel, or <c>[N, 3, H, W]</c> RGB with values in [0, 1].</summary>
    /// <param name="images">The batch.</param>
    /// <param name="options">Layout and colours; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The grid, ready to <see cref="Picture.SavePng"/>.</returns>
    public static Picture Draw<T>(Tensor<T> images, ImageGridOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= new ImageGridOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Columns, "options.Columns");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Spacing, "options.Spacing");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Zoom, "options.Zoom");
        var (count, channels, height, width) = Geometry(images);
        if (channels == 3 && options.Diverging)
            throw new ArgumentException("A diverging colour map needs single-channel images, but these have 3 channels.", nameof(options));
        if (options.ColorBar && (options.ScaleEachImage || channels == 3))
            throw new ArgumentException("A colour-scale bar needs one scale shared by all images of one channel: set ScaleEachImage to false.", nameof(options));

        int columns = options.Columns > 0 ? Math.Min(options.Columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns, cellW = width * options.Zoom, cellH = height * options.Zoom, gap = options.Spacing;
        int gridW = columns * (cellW + gap) + gap, gridH = rows * (cellH + gap) + gap;
        var picture = new Picture(gridW + (options.ColorBar ? BarWidth + gap : 0), gridH);
        ReadOnlySpan<T> values = images.Span();
        int imageSize = channels * height * width;
        var (low, high) = Range(values);
        for (int n = 0; n < count; n++)
        {
            var image = values.Slice(n * imageSize, imageSize);
            if (options.ScaleEachImage) (low, high) = Range(image);
            int left = gap + n % columns * (cellW + gap), top = gap + n / columns * (cellH + gap);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    Rgb color = channels == 3
                        ? new Rgb(Byte(image[y * width + x]), Byte(image[(height + y) * width + x]), Byte(image[(2 * height + y) * width + x]))
                        : Color(double.CreateChecked(image[y * width + x]), low, high, options.Diverging);
                    picture.Fill(left + x * options.Zoom, top + y * options.Zoom, options.Zoom, options.Zoom, color);
                }
        }
        if (options.ColorBar) DrawBar(picture, gridW, gap, gridH - 2 * gap, low, high, options.Diverging);
        return picture;
    }

    /// <summary>The colour of <paramref name="value"/> on the scale [<paramref name="low"/>, <paramref name="high"/>].</summary>
    internal static Rgb Color(double value, double low, double high, bool diverging)
    {
        if (diverging)
        {
            double magnitude = Math.Max(Math.Abs(low), Math.Abs(high));
            return DivergingColorMap.Map(magnitude > 0 ? value / magnitude : 0);
        }
        double t = high > low ? (value - low) / (high - low) : 0.5;
        return double.IsNaN(t) ? new Rgb(255, 0, 255) : Rgb.Grey((byte)Math.Round(255 * Math.Clamp(t, 0, 1), MidpointRounding.AwayFromZero));
    }

    // Top row the largest value, bottom row the smallest (symmetric around 0 when diverging).
    private static void DrawBar(Picture picture, int left, int top, int height, double low, double high, bool diverging)
    {
        if (diverging) (low, high) = (-Math.Max(Math.Abs(low), Math.Abs(high)), Math.Max(Math.Abs(low), Math.Abs(high)));
        for (int y = 0; y < height; y++)
        {
            double value = height == 1 ? high : high - (high - low) * y / (height - 1);
            picture.Fill(left, top + y, BarWidth, 1, Color(value, low, high, diverging));
        }
    }

    private static byte Byte<T>(T value) where T : IFloatingPointIeee754<T> =>
        (byte)Math.Round(255 * Math.Clamp(double.CreateChecked(value), 0, 1), MidpointRounding.AwayFromZero);

    private static (double Low, double High) Range<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var v in values)
        {
            double d = double.CreateChecked(v);
            if (!double.IsFinite(d)) continue;
            low = Math.Min(low, d);
            high = Math.Max(high, d);
        }
        return low <= high ? (low, high) : (0, 0);
    }

    private static (int Count, int Channels, int Height, int Width) Geometry<T>(Tensor<T> images)
    {
        var shape = images.Shape();
        return shape.Length switch
        {
            3 when shape[0] > 0 => (shape[0], 1, shape[1], shape[2]),
            4 when shape[0] > 0 && shape[1] is 1 or 3 => (shape[0], shape[1], shape[2], shape[3]),
            _ => throw new ArgumentException(
                $"An image grid takes [N, H, W], [N, 1, H, W] or [N, 3, H, W] with N ≥ 1, but got {TensorMemory.ShapeText(shape)}.", nameof(images)),
        };
    }
}
