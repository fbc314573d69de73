using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;
using System.Text;

namespace NeuralNets.Data;

/// <summary>
/// Seeded augmentation of NCHW image batches: a random crop after zero padding (the image shifts by up to
/// <see cref="CropPadding"/> pixels each way), a horizontal flip with probability ½, and Gaussian noise.
/// All channels of a sample get the same crop and flip.
/// </summary>
/// <remarks>
/// Every random choice for a sample is drawn from a stream of its own, keyed by <see cref="Seed"/>, the epoch and the
/// sample's index in the data set, so the same seed gives the same batches bit for bit whatever the thread count, the
/// batch size or the order in which batches are augmented. Use a new <c>epoch</c> number each epoch to get new draws.
/// </remarks>
public sealed record ImageAugmentation
{
    /// <summary>The zero padding on each side before a crop back to the original size; 0 (the default) for no crop.</summary>
    public int CropPadding { get; init; }

    /// <summary>Whether each sample is mirrored left to right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>The standard deviation of Gaussian noise added to every value; 0 (the default) for none.</summary>
    public double NoiseStandardDeviation { get; init; }

    /// <summary>The seed of every random choice.</summary>
    public int Seed { get; init; }

    /// <summary>Returns an augmented copy of a batch <c>[N, C, H, W]</c> whose first sample is sample <paramref name="firstSample"/> of the data set.</summary>
    /// <param name="batch">The images, NCHW.</param>
    /// <param name="epoch">The epoch: each epoch draws anew.</param>
    /// <param name="firstSample">The index in the data set of the batch's first sample (the key of its random stream).</param>
    public Tensor<T> Apply<T>(Tensor<T> batch, int epoch, long firstSample = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Rank != 4)
            throw new ArgumentException($"Image augmentation takes NCHW batches of rank 4, not shape {TensorMemory.ShapeText(batch.Lengths)}.", nameof(batch));
        var shape = batch.Shape();
        var result = new T[batch.FlattenedLength];
        Apply<T>(batch.Span(), result, shape[1], shape[2], shape[3], epoch, firstSample, Parallelism.MaxThreads);
        return TensorMemory.Wrap(result, shape);
    }

    /// <summary>An augmented copy of a data set of NCHW images (sample <c>i</c> keyed by its index <c>i</c>); the targets are copied unchanged.</summary>
    public Dataset<T> Apply<T>(Dataset<T> data, int epoch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.SampleShape.Count != 3)
            throw new ArgumentException($"Image augmentation takes samples of shape [C, H, W], not {TensorMemory.ShapeText(data.SampleShape)}.", nameof(data));
        return new Dataset<T>(Apply(data.Features, epoch), data.Targets, data.ClassCount);
    }

    /// <summary>Augments <paramref name="source"/> into <paramref name="destination"/>, samples split among up to <paramref name="threads"/> threads.</summary>
    internal void Apply<T>(ReadOnlySpan<T> source, Span<T> destination, int channels, int height, int width, int epoch, long firstSample, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate();
        ArgumentRange.ThrowIfNegative(firstSample);
        int sampleSize = channels * height * width;
        int count = source.Length / sampleSize;
        var input = source.ToArray();
        var output = new T[destination.Length];
        // Each sample's draws depend only on its own key, so how the samples are split among threads changes nothing.
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
            ApplyToSample<T>(input.AsSpan(i * sampleSize, sampleSize), output.AsSpan(i * sampleSize, sampleSize), channels, height, width, epoch, firstSample + i));
        output.CopyTo(destination);
    }

    /// <summary>
    /// Augments a training batch whose sample <c>i</c> is sample <paramref name="sampleIndices"/>[i] of the data set (its key),
    /// on the calling thread and without allocating: the training loop's path. The spans must not overlap.
    /// </summary>
    internal void ApplyToBatch<T>(ReadOnlySpan<T> source, Span<T> destination, int channels, int height, int width, int epoch, ReadOnlySpan<int> sampleIndices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int sampleSize = channels * height * width;
        for (int i = 0; i < sampleIndices.Length; i++)
            ApplyToSample(source.Slice(i * sampleSize, sampleSize), destination.Slice(i * sampleSize, sampleSize), channels, height, width, epoch, sampleIndices[i]);
    }

    /// <summary>One sample, its draws from the stream keyed by (<see cref="Seed"/>, <paramref name="epoch"/>, <paramref name="key"/>).</summary>
    private void ApplyToSample<T>(ReadOnlySpan<T> source, Span<T> destination, int channels, int height, int width, int epoch, long key)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SampleRandom(Seed, epoch, key);
        int dy = CropPadding == 0 ? 0 : random.NextInt(2 * CropPadding + 1) - CropPadding;
        int dx = CropPadding == 0 ? 0 : random.NextInt(2 * CropPadding + 1) - CropPadding;
        bool flip = HorizontalFlip && random.NextDouble() < 0.5;
        Transform(source, destination, channels, height, width, dy, dx, flip);
        if (NoiseStandardDeviation > 0)
            for (int k = 0; k < destination.Length; k++) destination[k] += T.CreateChecked(NoiseStandardDeviation * random.NextGaussian());
    }

    /// <summary>Rejects a negative padding or a negative or non-finite noise level, naming it.</summary>
    internal void Validate()
    {
        ArgumentRange.ThrowIfNegative(CropPadding, nameof(CropPadding));
        if (!(double.IsFinite(NoiseStandardDeviation) && NoiseStandardDeviation >= 0))
            throw new ArgumentOutOfRangeException(nameof(NoiseStandardDeviation), string.Create(CultureInfo.InvariantCulture, $"The noise's standard deviation must be finite and not negative, but was {NoiseStandardDeviation}."));
    }

    /// <summary>
    /// One sample, shifted and optionally mirrored: output pixel <c>(y, x)</c> is input pixel <c>(y + dy, x' + dx)</c>, with
    /// <c>x' = W − 1 − x</c> when flipped and <c>x</c> otherwise, and 0 where that lies outside the image (the padding).
    /// </summary>
    internal static void Transform<T>(ReadOnlySpan<T> input, Span<T> output, int channels, int height, int width, int dy, int dx, bool flip)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < channels; c++)
        {
            var plane = input.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
            {
                int sy = y + dy;
                var row = output.Slice((c * height + y) * width, width);
                if ((uint)sy >= (uint)height)
                {
                    row.Clear();
                    continue;
                }
                for (int x = 0; x < width; x++)
                {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    row[x] = (uint)sx < (uint)width ? plane[sy * width + sx] : T.Zero;
                }
            }
        }
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
