using NeuralNets.Layers;
namespace NeuralNets.Samples.Gan;

/// <summary>The networks of the two image GANs and of the classifiers that judge their samples.</summary>
public static class GanNetworks
{
    /// <summary>Digits generator: noise ⊕ one-hot → 64 pixels in [−1, 1], an MLP.</summary>
    public static Sequential<float> DigitsGenerator(int noiseSize, int seed) =>
        Network.Sequential<float>(noiseSize + 10).Dense(128).LeakyReLU(0.2).Dense(256).LeakyReLU(0.2).Dense(64).Tanh().Build(seed);

    /// <summary>Digits discriminator: 64 pixels ⊕ one-hot → logit of "real"; dropout keeps it from memorising 1797 images.</summary>
    public static Sequential<float> DigitsDiscriminator(int seed) =>
        Network.Sequential<float>(64 + 10).Dense(256).LeakyReLU(0.2).Dropout(0.3).Dense(128).LeakyReLU(0.2).Dropout(0.3).Dense(1).Build(seed);

    /// <summary>Digits classifier (64 → 64 → 10 logits), the judge of the generated digits.</summary>
    public static Sequential<float> DigitsClassifier(int seed) =>
        Network.Sequential<float>(64).Dense(64).ReLU().Dense(10).Build(seed);

    /// <summary>
    /// Fashion-MNIST generator, DCGAN's shape at a small width: Dense to 64 maps of 7×7, Unflatten, then two
    /// ConvTranspose2D doublings (4×4, stride 2, padding 1) to 14×14 and 28×28, tanh.
    /// </summary>
    public static Sequential<float> FashionGenerator(int noiseSize, int seed) =>
        Network.Sequential<float>(noiseSize + 10)
            .Dense(64 * 7 * 7).BatchNorm1D().ReLU().Unflatten(1, [64, 7, 7])
            .ConvTranspose2D(32, kernel: 4, stride: 2, padding: 1).BatchNorm2D().ReLU()
            .ConvTranspose2D(1, kernel: 4, stride: 2, padding: 1).Tanh()
            .Build(seed);

    /// <summary>Fashion-MNIST discriminator: the image and ten label planes, two stride-2 convolutions (28 → 14 → 7), one logit.</summary>
    public static Sequential<float> FashionDiscriminator(int seed) =>
        Network.Sequential<float>(1 + 10, 28, 28)
            .Conv2D(32, kernel: 4, stride: 2, padding: 1).LeakyReLU(0.2)
            .Conv2D(64, kernel: 4, stride: 2, padding: 1).LeakyReLU(0.2)
            .Flatten().Dropout(0.3).Dense(1)
            .Build(seed);

    /// <summary>Fashion-MNIST classifier (784 → 256 → 10 logits), the judge of the generated clothes.</summary>
    public static Sequential<float> FashionClassifier(int seed) =>
        Network.Sequential<float>(1, 28, 28).Flatten().Dense(256).ReLU().Dense(10).Build(seed);
}
