using NeuralNets.Data;
using NeuralNets.Samples.Gan;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Samples;

/// <summary>A convolutional conditional GAN trains to the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class ConditionalGanThreadTests
{
    [Fact]
    public void TrainThenSample_OneThreadOrAll_BitIdentical()
    {
        var one = Run(1);
        var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads));
        all.Should().Equal(one);
    }

    // Fashion's shape at a quarter of the width: Dense → Unflatten → two ConvTranspose2D doublings, and label planes
    // into two stride-2 convolutions; two rounds of training, then samples for both labels from a fixed noise seed.
    private static float[] Run(int maxThreads)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            var random = new Random(1);
            var pixels = new float[16 * 28 * 28];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)(2 * random.NextDouble() - 1);
            var data = Dataset<float>.FromLabels(TensorMemory.Wrap(pixels, [16, 1, 28, 28]), [.. Enumerable.Range(0, 16).Select(n => n % 2)], classCount: 2);
            var generator = Network.Sequential<float>(8 + 2).Dense(16 * 7 * 7).BatchNorm1D().ReLU().Unflatten(1, [16, 7, 7])
                .ConvTranspose2D(8, kernel: 4, stride: 2, padding: 1).BatchNorm2D().ReLU()
                .ConvTranspose2D(1, kernel: 4, stride: 2, padding: 1).Tanh().Build(seed: 2);
            var discriminator = Network.Sequential<float>(1 + 2, 28, 28).Conv2D(8, kernel: 4, stride: 2, padding: 1).LeakyReLU(0.2)
                .Conv2D(16, kernel: 4, stride: 2, padding: 1).LeakyReLU(0.2).Flatten().Dropout(0.3).Dense(1).Build(seed: 3);
            var gan = new ConditionalGan(generator, discriminator, LabelConditioning.Planes(28, 28, 2), data, noiseSize: 8, batchSize: 8, seed: 4);
            gan.TrainEpoch();
            return gan.Sample([0, 1, 0, 1], seed: 5).ToArray();
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }
}
