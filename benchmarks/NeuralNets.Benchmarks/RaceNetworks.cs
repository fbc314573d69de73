using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The convolutional race's smaller networks, built in one place for the race (<see cref="ConvNetRace"/>) and the step's
/// timeline (<see cref="TeamTimelineReport"/>); the VGG-style one is <see cref="VggStyle"/>.
/// </summary>
internal static class RaceNetworks
{
    /// <summary>The Keras MNIST convolutional example: 3×3 convolutions of 32 and 64 channels with ReLU, 2×2 max pooling, dense 128 with ReLU, dense 10.</summary>
    public static Sequential<float> KerasMnist(int seed) =>
        Network.Sequential<float>(1, 28, 28).Conv2D(32, kernel: 3).ReLU().Conv2D(64, kernel: 3).ReLU().MaxPool2D(2)
            .Flatten().Dense(128).ReLU().Dense(10).Build(seed);

    /// <summary>A CIFAR-sized CNN: 3×3 'same' convolutions of 16 and 32 channels, each (with batch normalisation if asked) with ReLU and 2×2 max pooling, dense 10.</summary>
    public static Sequential<float> CifarSized(bool normalized, int seed)
    {
        var builder = Network.Sequential<float>(3, 32, 32).Conv2D(16, kernel: 3, padding: 1);
        if (normalized) builder = builder.BatchNorm2D();
        builder = builder.ReLU().MaxPool2D(2).Conv2D(32, kernel: 3, padding: 1);
        if (normalized) builder = builder.BatchNorm2D();
        return builder.ReLU().MaxPool2D(2).Flatten().Dense(10).Build(seed);
    }
}
