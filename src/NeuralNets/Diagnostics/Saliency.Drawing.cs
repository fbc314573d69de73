using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

public static partial class Saliency
{
    /// <summary>
    /// The lecture's saliency picture for one image: the image and its <c>|∂y_c/∂x|</c> heat map for the predicted class c side by
    /// side (black 0, white the largest, with a scale bar), titled with the predicted class and its probability.
    /// </summary>
    /// <param name="network">A classifier whose output is <c>[1, classes]</c> logits (or probabilities, if it ends in Softmax).</param>
    /// <param name="image">One single-channel image, <c>[1, 1, H, W]</c>.</param>
    /// <param name="classNames">Names for the classes; indices when null.</param>
    /// <param name="trueClass">The image's label, added to the title when given.</param>
    /// <param name="zoom">Each pixel drawn as a zoom×zoom block.</param>
    /// <param name="textScale">Pixels per font pixel of the titles.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The two panels in one picture; <see cref="ForPredictedClass"/> gives the map itself.</returns>
    public static Picture Draw<T>(Sequential<T> network, Tensor<T> image, IReadOnlyList<string>? classNames = null, int? trueClass = null,
        int zoom = 8, int textScale = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(image);
        var shape = image.Shape();
        if (shape.Length != 4 || shape[0] != 1 || shape[1] != 1)
            throw new ArgumentException($"A saliency picture is drawn for one single-channel image [1, 1, H, W], but got {TensorMemory.ShapeText(shape)}.", nameof(image));
        ReadOnlySpan<T> probabilities = network.PredictProbabilities(image).Span();
        if (probabilities.Length < 2)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A saliency picture needs a classifier with at least 2 outputs, but {network} has {probabilities.Length}."), nameof(network));
        int predicted = TensorPrimitives.IndexOfMax(probabilities);
        if (classNames is not null && classNames.Count != probabilities.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The network has {probabilities.Length} classes but {classNames.Count} class names were given."), nameof(classNames));
        if (trueClass is int label && (uint)label >= (uint)probabilities.Length)
            throw new ArgumentOutOfRangeException(nameof(trueClass), string.Create(CultureInfo.InvariantCulture, $"The network has classes 0 to {probabilities.Length - 1}, so there is no class {label}."));
        string Name(int c) => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);

        var map = ForPredictedClass(network, image);
        var picture = ImageGrid.Draw(image, new ImageGridOptions { Zoom = zoom, Spacing = 0, Title = "image", TextScale = textScale });
        var heat = ImageGrid.Draw(map, new ImageGridOptions { Zoom = zoom, Spacing = 0, ColorBar = true, Title = $"|∂y/∂x| for {Name(predicted)}", TextScale = textScale });
        string title = $"predicted {Name(predicted)}, p = {double.CreateChecked(probabilities[predicted]).ToString("F3", CultureInfo.InvariantCulture)}"
            + (trueClass is int t ? $" (true: {Name(t)})" : "");
        return PictureLayout.Row([picture, heat]).WithTitle(title, textScale);
    }
}
