using System.Globalization;
using NeuralNets.Diagnostics;
using NeuralNets.Tensors;

namespace NeuralNets.Samples.Gan;

/// <summary>
/// Generated samples as a labelled grid: one row per class (its name at the left), one column per noise vector. The
/// noise is the same at every epoch, so grids of successive epochs show the same samples improving.
/// </summary>
public static class ClassGrid
{
    private const int Spacing = 2;

    /// <summary>Draws <paramref name="columns"/> samples of every class, titled <paramref name="title"/>.</summary>
    /// <param name="gan">The GAN whose generator draws.</param>
    /// <param name="classNames">Row labels, one per class.</param>
    /// <param name="columns">Samples per class.</param>
    /// <param name="noiseSeed">Seeds the noise; keep it fixed across epochs.</param>
    /// <param name="zoom">Pixels per image pixel.</param>
    /// <param name="title">The title above the grid.</param>
    public static Picture Draw(ConditionalGan gan, IReadOnlyList<string> classNames, int columns, int noiseSeed, int zoom, string title)
    {
        var labels = new int[classNames.Count * columns];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / columns;
        var images = gan.Sample(labels, noiseSeed);
        var shape = images.Shape();
        int height = shape[^2], width = shape.Length >= 3 ? shape[^1] : 0;
        if (shape.Length == 2) (height, width) = Square(shape[1]);
        // Three equal channels with values in [0, 1]: ImageGrid draws RGB on a fixed scale, so tanh's −1 is black and
        // +1 white at every epoch (a grey grid would stretch each epoch's own range).
        int size = height * width;
        ReadOnlySpan<float> values = images.Span();
        var rgb = new float[labels.Length * 3 * size];
        for (int n = 0; n < labels.Length; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < size; p++) rgb[(n * 3 + c) * size + p] = (values[n * size + p] + 1) / 2;
        var grid = ImageGrid.Draw(TensorMemory.Wrap(rgb, [labels.Length, 3, height, width]),
            new ImageGridOptions { Columns = columns, Zoom = zoom, Spacing = Spacing });

        int cell = height * zoom, labelScale = cell >= 30 ? 2 : 1;
        int labelWidth = classNames.Max(name => Picture.MeasureText(name, labelScale).Width) + 8;
        var picture = new Picture(labelWidth + grid.Width, grid.Height);
        picture.Paste(grid, labelWidth, 0);
        for (int row = 0; row < classNames.Count; row++)
        {
            var (textWidth, textHeight) = Picture.MeasureText(classNames[row], labelScale);
            int top = Spacing + row * (cell + Spacing) + (cell - textHeight) / 2;
            picture.DrawText(labelWidth - 4 - textWidth, top, classNames[row], new Rgb(0, 0, 0), labelScale);
        }
        return picture.WithTitle(title, scale: picture.Width >= 300 ? 2 : 1);
    }

    private static (int Height, int Width) Square(int values)
    {
        int side = (int)Math.Round(Math.Sqrt(values));
        return side * side == values
            ? (side, side)
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A flat image of {values} values is not square."));
    }
}
