using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>The filters of a convolution as images, for a filter grid.</summary>
public static class Filters
{
    /// <summary>
    /// The weights of <paramref name="convolution"/> as <c>[Cout·Cin, kH, kW]</c> images, filter o's input channel c at index
    /// <c>o·Cin + c</c>: a grid with Cin columns shows one filter per row. A grouped convolution's filter sees Cin/groups
    /// channels (its group's), so Cin/groups stands for Cin.
    /// </summary>
    /// <param name="convolution">The layer.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static Tensor<T> Of<T>(Conv2D<T> convolution) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(convolution);
        var (kh, kw) = convolution.Kernel;
        return TensorMemory.Wrap(convolution.Weight.ValueSpan.ToArray(), [convolution.OutChannels * FilterChannels(convolution), kh, kw]);
    }

    /// <summary>
    /// Draws the filters as a titled grid, one filter per row and one input channel per column (a square grid when there is one
    /// input channel), each cell labelled with its filter index (<c>o</c>, or <c>o.c</c> for input channel c), signed weights in the
    /// diverging colour map on one scale shared by all, with a colour-scale bar and its values.
    /// </summary>
    /// <param name="convolution">The layer.</param>
    /// <param name="zoom">Each weight drawn as a zoom×zoom block.</param>
    /// <param name="title">The title; by default the layer, e.g. <c>filters of Conv2D(1 → 16, 7×7, …)</c>.</param>
    /// <param name="textScale">Pixels per font pixel of the title, labels and scale.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static Picture Draw<T>(Conv2D<T> convolution, int zoom = 8, string? title = null, int textScale = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(convolution);
        int inputs = FilterChannels(convolution);
        var labels = Enumerable.Range(0, convolution.OutChannels * inputs)
            .Select(i => inputs == 1 ? Text(i) : $"{Text(i / inputs)}.{Text(i % inputs)}").ToArray();
        return ImageGrid.Draw(Of(convolution), new ImageGridOptions
        {
            Columns = inputs == 1 ? 0 : inputs, Zoom = zoom, Diverging = true, ColorBar = true, Spacing = Math.Max(2, zoom / 4),
            Labels = labels, Title = title ?? $"filters of {convolution}", TextScale = textScale,
        });
    }

    // The channels each filter sees: all of them, or its group's.
    private static int FilterChannels<T>(Conv2D<T> convolution) where T : unmanaged, IFloatingPointIeee754<T> =>
        convolution.InChannels / convolution.Groups;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
