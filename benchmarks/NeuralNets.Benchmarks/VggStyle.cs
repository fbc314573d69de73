using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The VGG-style CIFAR network of the benchmarks, as courses build it: two 'same' 3×3 convolutions of 32 channels, then
/// two of 64, each followed by batch normalisation and ReLU, each pair by 2×2 max pooling, then dense 10.
/// </summary>
internal static class VggStyle
{
    public static Sequential<float> Build(int seed) =>
        Network.Sequential<float>(3, 32, 32)
            .Conv2D(32, kernel: 3, padding: 1).BatchNorm2D().ReLU().Conv2D(32, kernel: 3, padding: 1).BatchNorm2D().ReLU().MaxPool2D(2)
            .Conv2D(64, kernel: 3, padding: 1).BatchNorm2D().ReLU().Conv2D(64, kernel: 3, padding: 1).BatchNorm2D().ReLU().MaxPool2D(2)
            .Flatten().Dense(10).Build(seed);
}
