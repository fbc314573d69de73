using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// The lecture's adversarial picture, one row per example: the original image, the perturbation x′ − x (blue–white–red,
/// scaled to the largest change so that it shows), and the adversarial image; each image captioned with the class the
/// network predicts for it and that class's softmax probability.
/// </summary>
public static class AdversarialPanel
{
    private const int Margin = 6, Gap = 8, CaptionGap = 3;
    private static readonly Rgb Ink = new(0, 0, 0), Changed = new(178, 24, 43);

    /// <summary>Draws the panel of <paramref name="clean"/> images and their <paramref name="adversarial"/> counterparts.</summary>
    /// <param name="network">The classifier; run in inference mode, its outputs are taken as logits.</param>
    /// <param name="clean">The original inputs, as the network takes them: <c>[N, H·W]</c>, <c>[N, H, W]</c> or <c>[N, 1, H, W]</c>.</param>
    /// <param name="adversarial">The attacked inputs, the same shape.</param>
    /// <param name="classNames">The name of each output class.</param>
    /// <param name="options">Zoom, title and image size; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The panel; an adversarial caption is red where the predicted class differs from the original's.</returns>
    /// <exception cref="ArgumentException">The shapes differ, are not single-channel images, or the network's outputs do not match the class names.</exception>
    public static Picture Draw<T>(ILayer<T> network, Tensor<T> clean, Tensor<T> adversarial, IReadOnlyList<string> classNames, AdversarialPanelOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(adversarial);
        ArgumentNullException.ThrowIfNull(classNames);
        options ??= new AdversarialPanelOptions();
        ArgumentRange.ThrowIfNegativeOrZero(options.Zoom, "options.Zoom");
        if (!clean.Lengths.SequenceEqual(adversarial.Lengths))
            throw new ArgumentException($"The adversarial images {TensorMemory.ShapeText(adversarial.Lengths)} must have the clean images' shape {TensorMemory.ShapeText(clean.Lengths)}.", nameof(adversarial));
        var (count, height, width) = Geometry(clean, options.ImageSize);
        var (low, high) = options.PixelRange;
        if (!(low < high)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The pixel range [{low}, {high}] is empty."), nameof(options));

        var before = Predictions(network, clean, classNames);
        var after = Predictions(network, adversarial, classNames);
        ReadOnlySpan<T> x = clean.Span(), forged = adversarial.Span();
        double largest = 0;
        for (int i = 0; i < x.Length; i++) largest = Math.Max(largest, Math.Abs(double.CreateChecked(forged[i] - x[i])));

        string[] headers = ["original", "perturbation", "adversarial"];
        var captions = new string[count, 3];
        for (int n = 0; n < count; n++)
        {
            captions[n, 0] = Caption(classNames, before[n]);
            captions[n, 1] = string.Create(CultureInfo.InvariantCulture, $"max |x'-x|\n{largest:F3}");
            captions[n, 2] = Caption(classNames, after[n]);
        }
        int imageW = width * options.Zoom, imageH = height * options.Zoom;
        int cellW = imageW, captionH = 0;
        foreach (var text in captions.Cast<string>().Concat(headers))
        {
            var (w, h) = Picture.MeasureText(text);
            cellW = Math.Max(cellW, w);
            captionH = Math.Max(captionH, h);
        }
        int headerH = Picture.MeasureText(headers[0]).Height;
        int rowH = imageH + CaptionGap + captionH;
        int top = Margin + headerH + CaptionGap;
        var picture = new Picture(2 * Margin + 3 * cellW + 2 * Gap, top + count * rowH + (count - 1) * Gap + Margin);
        for (int column = 0; column < 3; column++)
            DrawCentred(picture, headers[column], Margin + column * (cellW + Gap), Margin, cellW, Ink);

        int size = height * width;
        for (int n = 0; n < count; n++)
        {
            int y = top + n * (rowH + Gap);
            var original = x.Slice(n * size, size);
            var attacked = forged.Slice(n * size, size);
            for (int column = 0; column < 3; column++)
            {
                int left = Margin + column * (cellW + Gap), imageLeft = left + (cellW - imageW) / 2;
                for (int py = 0; py < height; py++)
                    for (int px = 0; px < width; px++)
                    {
                        int i = py * width + px;
                        double a = double.CreateChecked(original[i]), b = double.CreateChecked(attacked[i]);
                        Rgb color = column switch
                        {
                            0 => ImageGrid.Color(a, low, high, diverging: false),
                            1 => DivergingColorMap.Map(largest > 0 ? (b - a) / largest : 0),
                            _ => ImageGrid.Color(b, low, high, diverging: false),
                        };
                        picture.Fill(imageLeft + px * options.Zoom, y + py * options.Zoom, options.Zoom, options.Zoom, color);
                    }
                var ink = column == 2 && after[n].Class != before[n].Class ? Changed : Ink;
                DrawCentred(picture, captions[n, column], left, y + imageH + CaptionGap, cellW, ink);
            }
        }
        return options.Title is { } title ? picture.WithTitle(title, scale: 2) : picture;
    }

    private static string Caption(IReadOnlyList<string> classNames, (int Class, double Probability) prediction) =>
        string.Create(CultureInfo.InvariantCulture, $"{classNames[prediction.Class]}\n{100 * prediction.Probability:F1}%");

    private static void DrawCentred(Picture picture, string text, int left, int top, int width, Rgb color)
    {
        foreach (var (line, index) in text.Split('\n').Select((l, i) => (l, i)))
            picture.DrawText(left + (width - Picture.MeasureText(line).Width) / 2, top + index * PixelFont.LineHeight, line, color);
    }

    /// <summary>The predicted class of each sample and its softmax probability.</summary>
    internal static (int Class, double Probability)[] Predictions<T>(ILayer<T> network, Tensor<T> input, IReadOnlyList<string> classNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = network.Forward(input, training: false);
        int count = input.BatchSize();
        if (output.FlattenedLength != (long)count * classNames.Count)
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The network gives {TensorMemory.ShapeText(output.Lengths)} for {count} samples, but {classNames.Count} class names were given: one output per class is needed."), nameof(classNames));
        var logits = new double[classNames.Count];
        var probabilities = new double[classNames.Count];
        var result = new (int, double)[count];
        ReadOnlySpan<T> values = output.Span();
        for (int n = 0; n < count; n++)
        {
            for (int k = 0; k < logits.Length; k++) logits[k] = double.CreateChecked(values[n * logits.Length + k]);
            TensorPrimitives.SoftMax<double>(logits, probabilities);
            int best = TensorPrimitives.IndexOfMax<double>(probabilities);
            result[n] = (best, probabilities[best]);
        }
        return result;
    }

    private static (int Count, int Height, int Width) Geometry<T>(Tensor<T> images, (int Height, int Width)? size)
    {
        var shape = images.Shape();
        int count = shape.Length > 0 ? shape[0] : 0;
        int sampleSize = count == 0 ? 0 : (int)(images.FlattenedLength / count);
        (int, int, int)? geometry = (shape.Length, size) switch
        {
            (_, { } s) when count > 0 && s.Height > 0 && s.Width > 0 && (long)s.Height * s.Width == sampleSize => (count, s.Height, s.Width),
            (2, null) when count > 0 && IsSquare(sampleSize) => (count, (int)Math.Sqrt(sampleSize), (int)Math.Sqrt(sampleSize)),
            (3, null) when count > 0 => (count, shape[1], shape[2]),
            (4, null) when count > 0 && shape[1] == 1 => (count, shape[2], shape[3]),
            _ => null,
        };
        return geometry ?? throw new ArgumentException(
            $"An adversarial panel takes single-channel images [N, H, W], [N, 1, H, W] or flattened [N, H·W] (square, or with options.ImageSize), N ≥ 1, but got {TensorMemory.ShapeText(shape)}" +
            (size is { } given ? string.Create(CultureInfo.InvariantCulture, $" with ImageSize {given.Height}×{given.Width}.") : "."), nameof(images));
    }

    private static bool IsSquare(int n) => n > 0 && (int)Math.Sqrt(n) is var r && r * r == n;
}
