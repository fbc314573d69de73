using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Samples.Gan;

/// <summary>
/// How a label reaches the two networks of a conditional GAN. The generator reads noise ⊕ one-hot label. The
/// discriminator reads an image followed by the label: as a one-hot vector after a flat image (an MLP), or as one
/// constant plane per class after the image's channel (a CNN: the plane of the label is ones, the others zeros).
/// </summary>
/// <remarks>
/// Both layouts are "the image's values, then a label block" per sample in row-major order, so one copy loop
/// serves both; only the block's length per class (1 for a vector, H·W for planes) differs.
/// </remarks>
public sealed class LabelConditioning
{
    private LabelConditioning(IReadOnlyList<int> imageShape, int classCount, int perClass, int[] discriminatorInputShape)
    {
        ImageShape = imageShape;
        ClassCount = classCount;
        ImageSize = imageShape.Aggregate(1, (a, b) => a * b);
        PerClass = perClass;
        DiscriminatorInputShape = discriminatorInputShape;
    }

    /// <summary>A flat image <c>[S]</c> followed by the one-hot label: the discriminator reads <c>[S + classes]</c>.</summary>
    public static LabelConditioning Vector(int imageSize, int classCount) =>
        new([imageSize], classCount, 1, [imageSize + classCount]);

    /// <summary>An image <c>[1, H, W]</c> followed by one plane per class: the discriminator reads <c>[1 + classes, H, W]</c>.</summary>
    public static LabelConditioning Planes(int height, int width, int classCount) =>
        new([1, height, width], classCount, height * width, [1 + classCount, height, width]);

    /// <summary>The generator's output and the real data's sample shape.</summary>
    public IReadOnlyList<int> ImageShape { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Values per image.</summary>
    public int ImageSize { get; }

    /// <summary>Values of the label block per class: 1 for a vector, H·W for planes.</summary>
    public int PerClass { get; }

    /// <summary>What the discriminator reads per sample.</summary>
    public IReadOnlyList<int> DiscriminatorInputShape { get; }

    /// <summary>Writes noise ⊕ one-hot label per sample into <paramref name="destination"/> (<c>[B, noise + classes]</c>).</summary>
    public void GeneratorInput(ReadOnlySpan<float> noise, ReadOnlySpan<int> labels, Span<float> destination)
    {
        int noiseSize = noise.Length / labels.Length, row = noiseSize + ClassCount;
        destination.Clear();
        for (int n = 0; n < labels.Length; n++)
        {
            noise.Slice(n * noiseSize, noiseSize).CopyTo(destination.Slice(n * row));
            destination[n * row + noiseSize + Check(labels[n])] = 1;
        }
    }

    /// <summary>Writes image ⊕ label block per sample into <paramref name="destination"/> (<c>[B, ...DiscriminatorInputShape]</c>).</summary>
    public void DiscriminatorInput(Tensor<float> images, ReadOnlySpan<int> labels, Tensor<float> destination)
    {
        ReadOnlySpan<float> source = images.Span();
        Span<float> target = destination.Span();
        int row = ImageSize + ClassCount * PerClass;
        if (source.Length != labels.Length * ImageSize || target.Length != labels.Length * row)
            throw new ArgumentException($"{labels.Length} labels need {labels.Length} images of {ImageSize} values and room for {labels.Length} rows of {row}.");
        target.Clear();
        for (int n = 0; n < labels.Length; n++)
        {
            source.Slice(n * ImageSize, ImageSize).CopyTo(target.Slice(n * row));
            target.Slice(n * row + ImageSize + Check(labels[n]) * PerClass, PerClass).Fill(1);
        }
    }

    /// <summary>The image part of the discriminator's input gradient, per sample, into <paramref name="destination"/> (the images' shape).</summary>
    public void ImageGradient(Tensor<float> discriminatorInputGradient, Tensor<float> destination)
    {
        ReadOnlySpan<float> source = discriminatorInputGradient.Span();
        Span<float> target = destination.Span();
        int row = ImageSize + ClassCount * PerClass, count = target.Length / ImageSize;
        for (int n = 0; n < count; n++) source.Slice(n * row, ImageSize).CopyTo(target.Slice(n * ImageSize));
    }

    private int Check(int label) => (uint)label < (uint)ClassCount
        ? label
        : throw new ArgumentOutOfRangeException(nameof(label), label, $"A label must be in [0, {ClassCount}).");
}
