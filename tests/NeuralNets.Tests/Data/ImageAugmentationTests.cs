using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class ImageAugmentationTests
{
    private static readonly double[] Image3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void Transform_ShiftDownRightByPadding_HandComputed()
    {
        var output = new double[9];

        // Output (y, x) = input (y + 1, x − 1); zero outside.
        ImageAugmentation.Transform<double>(Image3x3, output, 1, 3, 3, dy: 1, dx: -1, flip: false);

        output.Should().Equal(0, 4, 5, 0, 7, 8, 0, 0, 0);
    }

    [Fact]
    public void Transform_ShiftAndFlip_MirrorsTheCrop()
    {
        var output = new double[9];

        ImageAugmentation.Transform<double>(Image3x3, output, 1, 3, 3, dy: 1, dx: -1, flip: true);

        output.Should().Equal(5, 4, 0, 8, 7, 0, 0, 0, 0);
    }

    [Fact]
    public void Apply_SameSeed_SameBatchesWhateverTheThreadsAndBatching()
    {
        var augmentation = new ImageAugmentation { CropPadding = 2, HorizontalFlip = true, NoiseStandardDeviation = 0.1, Seed = 5 };
        var images = RandomImages(16, channels: 3, size: 8, seed: 1);
        var serial = new float[images.Length];
        var parallel = new float[images.Length];
        var inTwoBatches = new float[images.Length];
        int half = images.Length / 2;

        augmentation.Apply<float>(images, serial, 3, 8, 8, epoch: 4, firstSample: 0, threads: 1);
        augmentation.Apply<float>(images, parallel, 3, 8, 8, epoch: 4, firstSample: 0, threads: 4);
        augmentation.Apply<float>(images.AsSpan(0, half), inTwoBatches.AsSpan(0, half), 3, 8, 8, epoch: 4, firstSample: 0, threads: 2);
        augmentation.Apply<float>(images.AsSpan(half), inTwoBatches.AsSpan(half), 3, 8, 8, epoch: 4, firstSample: 8, threads: 3);

        parallel.Should().Equal(serial);
        inTwoBatches.Should().Equal(serial);
    }

    [Fact]
    public void Apply_AnotherEpochOrSeed_DrawsAnew()
    {
        var images = TensorMemory.Wrap(RandomImages(4, 1, 6, seed: 2), [4, 1, 6, 6]);
        var augmentation = new ImageAugmentation { NoiseStandardDeviation = 1, Seed = 1 };

        var a = augmentation.Apply(images, epoch: 0).Span().ToArray();
        var b = augmentation.Apply(images, epoch: 1).Span().ToArray();
        var c = (augmentation with { Seed = 2 }).Apply(images, epoch: 0).Span().ToArray();

        b.Should().NotEqual(a);
        c.Should().NotEqual(a);
        augmentation.Apply(images, epoch: 0).Span().ToArray().Should().Equal(a);
    }

    [Fact]
    public void Apply_FlipOnly_MirrorsAboutHalfTheSamplesAndKeepsTheRest()
    {
        const int count = 400;
        var images = RandomImages(count, 2, 5, seed: 3);
        var output = new float[images.Length];

        new ImageAugmentation { HorizontalFlip = true, Seed = 9 }.Apply<float>(images, output, 2, 5, 5, epoch: 0, firstSample: 0, threads: 2);

        int flipped = 0;
        for (int i = 0; i < count; i++)
        {
            var source = images.AsSpan(i * 50, 50);
            var mirrored = new float[50];
            ImageAugmentation.Transform<float>(source, mirrored, 2, 5, 5, 0, 0, flip: true);
            var sample = output.AsSpan(i * 50, 50).ToArray();
            if (sample.SequenceEqual(mirrored)) flipped++;
            else sample.Should().Equal(source.ToArray(), "a sample is either mirrored or left as it is");
        }
        flipped.Should().BeInRange(160, 240);
    }

    [Fact]
    public void Apply_CropOnly_EveryShiftWithinThePaddingOccurs()
    {
        const int count = 500, padding = 2;
        var images = RandomImages(count, 1, 6, seed: 4);
        var output = new float[images.Length];

        new ImageAugmentation { CropPadding = padding, Seed = 3 }.Apply<float>(images, output, 1, 6, 6, epoch: 2, firstSample: 0, threads: 2);

        var shifts = new HashSet<(int, int)>();
        for (int i = 0; i < count; i++)
        {
            var sample = output.AsSpan(i * 36, 36).ToArray();
            var match = (from dy in Enumerable.Range(-padding, 2 * padding + 1)
                         from dx in Enumerable.Range(-padding, 2 * padding + 1)
                         where Shifted(images.AsSpan(i * 36, 36), dy, dx).SequenceEqual(sample)
                         select (dy, dx)).ToList();
            match.Should().ContainSingle($"sample {i} is its image shifted by one offset within the padding");
            shifts.Add(match[0]);
        }
        shifts.Should().HaveCount(25);
    }

    [Fact]
    public void Apply_NoiseOnly_HasTheGivenStandardDeviation()
    {
        var zeros = new double[200 * 1 * 10 * 10];
        var output = new double[zeros.Length];

        new ImageAugmentation { NoiseStandardDeviation = 0.3, Seed = 8 }.Apply<double>(zeros, output, 1, 10, 10, epoch: 0, firstSample: 0, threads: 2);

        output.Average().Should().BeApproximately(0, 0.01);
        Math.Sqrt(output.Select(x => x * x).Average()).Should().BeApproximately(0.3, 0.006);
    }

    [Fact]
    public void Apply_Dataset_KeepsTargetsAndShapes()
    {
        var data = Dataset<float>.FromLabels(TensorMemory.Wrap(RandomImages(3, 1, 4, seed: 5), [3, 1, 4, 4]), [2, 0, 1], 3);

        var augmented = new ImageAugmentation { CropPadding = 1, Seed = 1 }.Apply(data, epoch: 0);

        augmented.SampleShape.Should().Equal(1, 4, 4);
        augmented.Targets.Span().ToArray().Should().Equal(2, 0, 1);
        augmented.ClassCount.Should().Be(3);
    }

    [Fact]
    public void Apply_NotNchw_SaysTheShape()
    {
        var act = () => new ImageAugmentation().Apply(TensorMemory.Wrap(new float[12], [3, 4]), epoch: 0);

        act.Should().Throw<ArgumentException>().WithMessage("*rank 4, not shape [3, 4]*");
    }

    private static float[] Shifted(ReadOnlySpan<float> image, int dy, int dx)
    {
        var result = new float[image.Length];
        ImageAugmentation.Transform(image, result, 1, 6, 6, dy, dx, flip: false);
        return result;
    }

    private static float[] RandomImages(int count, int channels, int size, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * channels * size * size];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble() + 0.5f;  // never 0, so padding is visible
        return values;
    }
}
