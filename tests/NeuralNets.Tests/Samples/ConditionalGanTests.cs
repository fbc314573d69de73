using NeuralNets.Data;
using NeuralNets.Samples.Gan;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Samples;

public class ConditionalGanTests
{
    [Fact]
    public void DiscriminatorInput_Planes_ImageThenOnesInTheLabelsPlaneOnly()
    {
        var conditioning = LabelConditioning.Planes(2, 2, classCount: 3);
        var images = TestTensors.Create([1f, 2, 3, 4, 5, 6, 7, 8], 2, 1, 2, 2);
        var destination = TensorMemory.Wrap(new float[2 * 4 * 4], [2, 4, 2, 2]);

        conditioning.DiscriminatorInput(images, [1, 2], destination);

        conditioning.DiscriminatorInputShape.Should().Equal(4, 2, 2);
        destination.ToArray().Should().Equal(
            1, 2, 3, 4, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0,
            5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
    }

    [Fact]
    public void ImageGradient_Vector_TakesEachSamplesImagePartOnly()
    {
        var conditioning = LabelConditioning.Vector(imageSize: 2, classCount: 3);
        var images = TestTensors.Create([1f, 2, 3, 4], 2, 2);
        var input = TensorMemory.Wrap(new float[10], [2, 5]);
        conditioning.DiscriminatorInput(images, [2, 0], input);
        input.ToArray().Should().Equal(1, 2, 0, 0, 1, 3, 4, 1, 0, 0);

        var gradient = TensorMemory.Wrap(new float[4], [2, 2]);
        conditioning.ImageGradient(TestTensors.Create([10f, 11, 12, 13, 14, 20, 21, 22, 23, 24], 2, 5), gradient);
        gradient.ToArray().Should().Equal(10, 11, 20, 21);
    }

    [Fact]
    public void GeneratorInput_AnyLabels_NoiseThenOneHot()
    {
        var destination = new float[2 * 5];
        LabelConditioning.Vector(4, classCount: 3).GeneratorInput([0.5f, -1, 2, 3], [2, 0], destination);
        destination.Should().Equal(0.5f, -1, 0, 0, 1, 2, 3, 1, 0, 0);
    }

    [Fact]
    public void DiscriminatorInput_LabelOutOfRange_NamesTheRange()
    {
        var act = () => LabelConditioning.Vector(2, classCount: 3).GeneratorInput([0f, 0], [3], new float[5]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 3)*");
    }

    [Fact]
    public void Train_TwoShadesByLabel_GeneratorDrawsTheShadeItIsAskedFor()
    {
        var gan = TwoShades(seed: 4);
        for (int epoch = 0; epoch < Epochs; epoch++) gan.TrainEpoch();

        int[] labels = [.. Enumerable.Repeat(0, 50), .. Enumerable.Repeat(1, 50)];
        var samples = gan.Sample(labels, seed: 9).ToArray();
        double dark = samples.Take(50 * 16).Average(v => v), light = samples.Skip(50 * 16).Average(v => v);
        dark.Should().BeLessThan(-0.3, "label 0's real images are all near −0.6");
        light.Should().BeGreaterThan(0.3, "label 1's real images are all near +0.6");
    }

    [Fact]
    public void Train_SameSeed_SamplesIdentical()
    {
        var first = TwoShades(seed: 2);
        var second = TwoShades(seed: 2);
        for (int epoch = 0; epoch < 3; epoch++) first.TrainEpoch().Should().Be(second.TrainEpoch());
        first.Sample([0, 1, 1], seed: 5).ToArray().Should().Equal(second.Sample([0, 1, 1], seed: 5).ToArray());
    }

    private const int Epochs = 60;

    /// <summary>256 images of 16 pixels: label 0 near −0.6, label 1 near +0.6; MLPs for both networks.</summary>
    private static ConditionalGan TwoShades(int seed)
    {
        var random = new Random(seed);
        var labels = new int[256];
        var pixels = new float[256 * 16];
        for (int n = 0; n < labels.Length; n++)
        {
            labels[n] = n % 2;
            for (int p = 0; p < 16; p++) pixels[n * 16 + p] = (labels[n] == 0 ? -0.6f : 0.6f) + (float)(0.1 * (random.NextDouble() - 0.5));
        }
        var data = Dataset<float>.FromLabels(TensorMemory.Wrap(pixels, [256, 16]), labels, classCount: 2);
        var generator = Network.Sequential<float>(8 + 2).Dense(32).LeakyReLU(0.2).Dense(16).Tanh().Build(seed);
        var discriminator = Network.Sequential<float>(16 + 2).Dense(32).LeakyReLU(0.2).Dense(1).Build(seed + 1);
        return new ConditionalGan(generator, discriminator, LabelConditioning.Vector(16, 2), data, noiseSize: 8, batchSize: 32, seed, learningRate: 2e-3);
    }
}
