using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

public static partial class ActivationMaximization
{
    /// <summary>
    /// For every class, the input gradient ascent finds for its score (<see cref="ForClass"/>), drawn as one panel per class labelled
    /// with its name: signed values in the diverging colour map, each panel on its own scale.
    /// </summary>
    /// <param name="network">A classifier built with a single-channel image input shape <c>[1, H, W]</c>.</param>
    /// <param name="classNames">One name per output of the network.</param>
    /// <param name="options">Ascent settings; defaults when null. The same seed is used for every class.</param>
    /// <param name="zoom">Each pixel drawn as a zoom×zoom block.</param>
    /// <param name="columns">Panels per row (0: a square grid).</param>
    /// <param name="textScale">Pixels per font pixel of the title and labels.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The panels; <see cref="ForClass"/> gives each image itself.</returns>
    public static Picture DrawClasses<T>(Sequential<T> network, IReadOnlyList<string> classNames, ActivationMaximizationOptions? options = null,
        int zoom = 4, int columns = 5, int textScale = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(classNames);
        var inputShape = network.InputShape
            ?? throw new ArgumentException("Activation maximisation needs a network that knows its input shape (build it with one).", nameof(network));
        if (inputShape.Count != 3 || inputShape[0] != 1)
            throw new ArgumentException($"Class panels are drawn for single-channel images [1, H, W], but the network's input is {TensorMemory.ShapeText(inputShape)}.", nameof(network));
        var outputShape = network.OutputShape(inputShape);
        if (outputShape.Count != 1 || outputShape[0] != classNames.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The network has outputs {TensorMemory.ShapeText(outputShape)} but {classNames.Count} class names were given."), nameof(classNames));
        int classes = classNames.Count, size = inputShape[1] * inputShape[2];
        var images = new T[classes * size];
        for (int c = 0; c < classes; c++) ForClass(network, c, options).Span().CopyTo(images.AsSpan(c * size, size));
        return ImageGrid.Draw(TensorMemory.Wrap(images, [classes, 1, inputShape[1], inputShape[2]]), new ImageGridOptions
        {
            Columns = columns, Zoom = zoom, Diverging = true, ScaleEachImage = true, Labels = classNames, TextScale = textScale,
            Title = $"inputs that maximise each class ({(options ?? new ActivationMaximizationOptions()).Steps.ToString(CultureInfo.InvariantCulture)} ascent steps)",
        });
    }
}
