using System.Globalization;
using System.Numerics;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Turns a pair of MNIST-format IDX files (images <c>[N, H, W]</c> and labels <c>[N]</c>, unsigned
/// bytes) into a classification <see cref="Dataset{T}"/> with pixels scaled to [0, 1].
/// </summary>
public static class MnistFormat
{
    /// <summary>Loads images and labels and checks that they belong together.</summary>
    /// <param name="imagesPath">An IDX file of shape <c>[N, H, W]</c>, raw or gzipped.</param>
    /// <param name="labelsPath">An IDX file of shape <c>[N]</c>, raw or gzipped.</param>
    /// <param name="classCount">Labels must lie in [0, classCount).</param>
    /// <param name="flatten">True for features <c>[N, H·W]</c> (for an MLP); false for <c>[N, 1, H, W]</c> (NCHW, for a CNN).</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the two do not match, or a label is out of range.</exception>
    public static Dataset<T> Load<T>(string imagesPath, string labelsPath, int classCount, bool flatten)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Load<T>(imagesPath, labelsPath, classCount, flatten, checkImageSize: null);

    /// <summary>As <see cref="Load{T}(string, string, int, bool)"/>, letting a data set of a known image size refuse others.</summary>
    /// <param name="imagesPath">An IDX file of shape <c>[N, H, W]</c>, raw or gzipped.</param>
    /// <param name="labelsPath">An IDX file of shape <c>[N]</c>, raw or gzipped.</param>
    /// <param name="classCount">Labels must lie in [0, classCount).</param>
    /// <param name="flatten">True for features <c>[N, H·W]</c>; false for <c>[N, 1, H, W]</c>.</param>
    /// <param name="checkImageSize">Called with the images' height and width before anything is converted (flattening would hide them); throws to refuse them.</param>
    internal static Dataset<T> Load<T>(string imagesPath, string labelsPath, int classCount, bool flatten, Action<int, int>? checkImageSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfLessThan(classCount, 2);
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"{imagesPath}: images must have shape [N, height, width] but the file has shape {TensorMemory.ShapeText(images.Shape)}.");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: labels must have shape [N] but the file has shape {TensorMemory.ShapeText(labels.Shape)}.");
        int count = images.Shape[0], height = images.Shape[1], width = images.Shape[2];
        checkImageSize?.Invoke(height, width);
        if (labels.Shape[0] != count)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{labelsPath} holds {labels.Shape[0]} labels but {imagesPath} holds {count} images; they must be the same count."));

        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = labels.Data[i];
            if (label >= classCount)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{labelsPath}: label {label} of sample {i} is outside the class range [0, {classCount})."));
            classes[i] = label;
        }

        // 256 possible bytes: scale each once.
        Span<T> scale = stackalloc T[256];
        T max = T.CreateChecked(255);
        for (int b = 0; b < scale.Length; b++) scale[b] = T.CreateChecked(b) / max;
        var pixels = new T[images.Data.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = scale[images.Data[i]];

        int[] shape = flatten ? [count, height * width] : [count, 1, height, width];
        return Dataset<T>.FromOwnedFeatures(pixels, shape, classes, classCount);
    }
}
