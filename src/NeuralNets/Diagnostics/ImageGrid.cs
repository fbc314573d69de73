using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Lays a batch of images (filters, feature maps, saliency maps, generated samples) out as a grid in a <see cref="Picture"/>,
/// in grey levels, RGB or a diverging colour map, with an optional title, a label per cell and a colour-scale bar with its values.
/// </summary>
public static class ImageGrid
{
    private const int BarWidth = 12;
    private const int BarTextGap = 4;

    /// <summary>Draws <paramref name="images"/>: <c>[N, H, W]</c> or <c>[N, 1, H, W]</c> single-channel, or <c>[N, 3, H, W]</c> RGB with values in [0, 1].</summary>
    /// <param name="images">The batch.</param>
    /// <param name="options">Layout, colours and labels; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The grid, ready to <see cref="Picture.SavePng"/>.</returns>
    public static Picture Draw<T>(Tensor<T> images, ImageGridOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= new ImageGridOptions();
        ArgumentRange.ThrowIfNegative(options.Columns, "options.Columns");
        ArgumentRange.ThrowIfNegative(options.Spacing, "options.Spacing");
        ArgumentRange.ThrowIfNegativeOrZero(options.Zoom, "options.Zoom");
        ArgumentRange.ThrowIfNegativeOrZero(options.TextScale, "options.TextScale");
        var (count, channels, height, width) = Geometry(images);
        if (channels == 3 && options.Diverging)
            throw new ArgumentException("A diverging colour map needs single-channel images, but these have 3 channels.", nameof(options));
        if (options.ColorBar && (options.ScaleEachImage || channels == 3))
            throw new ArgumentException("A colour-scale bar needs one scale shared by all images of one channel: set ScaleEachImage to false.", nameof(options));
        var labels = LabelsOf(options, count);

        int textScale = options.TextScale, glyphHeight = Picture.MeasureText("0", textScale).Height;
        int columns = options.Columns > 0 ? Math.Min(options.Columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns, cellW = width * options.Zoom, cellH = height * options.Zoom, gap = options.Spacing;
        int labelBand = labels is null ? 0 : glyphHeight + 2 + textScale;
        int columnW = labels is null ? cellW : Math.Max(cellW, labels.Max(l => Picture.MeasureText(l, textScale).Width) + 2);
        int slotH = cellH + labelBand;
        int gridW = columns * (columnW + gap) + gap, gridH = rows * (slotH + gap) + gap;

        ReadOnlySpan<T> values = images.Span();
        var (low, high) = Range(values);
        if (options.Diverging) (low, high) = (-Math.Max(Math.Abs(low), Math.Abs(high)), Math.Max(Math.Abs(low), Math.Abs(high)));
        string[] barNumbers = options.ColorBar ? [ScaleText.Format(high), ScaleText.Format((low + high) / 2), ScaleText.Format(low)] : [];
        int barNumbersW = barNumbers.Length == 0 ? 0 : barNumbers.Max(n => Picture.MeasureText(n, textScale).Width);
        int barH = Math.Max(gridH - 2 * gap, 3 * (glyphHeight + 2));
        int pictureW = gridW + (options.ColorBar ? BarWidth + BarTextGap + barNumbersW + Math.Max(gap, 2) : 0);
        var picture = new Picture(pictureW, Math.Max(gridH, options.ColorBar ? barH + 2 * gap : 0));

        int imageSize = channels * height * width;
        for (int n = 0; n < count; n++)
        {
            var image = values.Slice(n * imageSize, imageSize);
            var (imageLow, imageHigh) = options.ScaleEachImage ? Range(image) : (low, high);
            int columnLeft = gap + n % columns * (columnW + gap), slotTop = gap + n / columns * (slotH + gap);
            int left = columnLeft + (columnW - cellW) / 2;
            int top = slotTop + (options.LabelPlacement == LabelPlacement.Above ? labelBand : 0);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    Rgb color = channels == 3
                        ? new Rgb(Byte(image[y * width + x]), Byte(image[(height + y) * width + x]), Byte(image[(2 * height + y) * width + x]))
                        : Color(double.CreateChecked(image[y * width + x]), imageLow, imageHigh, options.Diverging);
                    picture.Fill(left + x * options.Zoom, top + y * options.Zoom, options.Zoom, options.Zoom, color);
                }
            if (options.MarkConstantImages && channels == 1 && Range(image) is var (l, h) && l == h)
                MarkConstant(picture, left, top, cellW, cellH, l);
            if (labels is not null)
            {
                int labelW = Picture.MeasureText(labels[n], textScale).Width;
                int labelTop = options.LabelPlacement == LabelPlacement.Above ? slotTop + textScale : top + cellH + 2;
                picture.DrawText(columnLeft + (columnW - labelW) / 2, labelTop, labels[n], Ink, textScale);
            }
        }
        if (options.ColorBar) DrawBar(picture, gridW, gap, barH, low, high, options.Diverging, barNumbers, textScale);
        return string.IsNullOrEmpty(options.Title) ? picture : picture.WithTitle(options.Title, textScale);
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

    private static readonly Rgb Ink = new(0, 0, 0);

    private static string[]? LabelsOf(ImageGridOptions options, int count)
    {
        if (options.Labels is { } labels)
        {
            if (labels.Count != count)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The grid has {count} images but {labels.Count} labels: give one label per image."), nameof(options));
            return [.. labels];
        }
        return options.IndexLabels ? [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))] : null;
    }

    // A constant image is one flat colour on any scale: say so inside it, in ink that shows on that colour.
    private static void MarkConstant(Picture picture, int left, int top, int cellW, int cellH, double value)
    {
        string text = $"constant {ScaleText.Format(value)}";
        if (Picture.MeasureText(text).Width > cellW - 2) text = $"={ScaleText.Format(value)}";
        var (textW, textH) = Picture.MeasureText(text);
        if (textW > cellW - 2 || textH > cellH - 2) return;
        var fill = picture.Get(left + cellW / 2, top + cellH / 2);
        var ink = fill.R * 299 + fill.G * 587 + fill.B * 114 > 128_000 ? Ink : Rgb.Grey(255);
        picture.DrawText(left + (cellW - textW) / 2, top + (cellH - textH) / 2, text, ink);
    }

    // Top row the largest value, bottom row the smallest; the values of the top, middle and bottom rows written beside them
    // (no tick marks: a tick beside "0" reads as a minus sign).
    private static void DrawBar(Picture picture, int left, int top, int height, double low, double high, bool diverging, string[] numbers, int textScale)
    {
        for (int y = 0; y < height; y++)
        {
            double value = height == 1 ? high : high - (high - low) * y / (height - 1);
            picture.Fill(left, top + y, BarWidth, 1, Color(value, low, high, diverging));
        }
        int glyphHeight = Picture.MeasureText("0", textScale).Height, textLeft = left + BarWidth + BarTextGap;
        int[] textTops = [top, top + (height - 1) / 2 - glyphHeight / 2, top + height - glyphHeight];
        for (int i = 0; i < 3; i++) picture.DrawText(textLeft, textTops[i], numbers[i], Ink, textScale);
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
