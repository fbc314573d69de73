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
    /// <c>o·Cin + c</c>: a grid with Cin columns shows one filter per row.
    /// </summary>
    /// <param name="convolution">The layer.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static Tensor<T> Of<T>(Conv2D<T> convolution) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(convolution);
        var (kh, kw) = convolution.Kernel;
        return TensorMemory.Wrap(convolution.Weight.ValueSpan.ToArray(), [convolution.OutChannels * convolution.InChannels, kh, kw]);
    }

    /// <summary>
    /// Draws the filters as a grid, one filter per row and one input channel per column (a square grid when there is one input channel), signed weights in the diverging
    /// colour map on one scale shared by all, with a colour-scale bar.
    /// </summary>
    /// <param name="convolution">The layer.</param>
    /// <param name="zoom">Each weight drawn as a zoom×zoom block.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static Picture Draw<T>(Conv2D<T> convolution, int zoom = 8) where T : unmanaged, IFloatingPointIeee754<T> =>
        ImageGrid.Draw(Of(convolution), new ImageGridOptions
        {
            Columns = convolution.InChannels == 1 ? 0 : convolution.InChannels, Zoom = zoom, Diverging = true, ColorBar = true, Spacing = Math.Max(1, zoom / 4),
        });
}
