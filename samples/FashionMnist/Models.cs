using NeuralNets;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace FashionMnistSample;

/// <summary>A network the sample can train: how to build it, and whether it takes flat [784] samples or [1, 28, 28] images.</summary>
internal sealed record ModelChoice(string Description, bool FlatInput, int DefaultEpochs, Func<int, Sequential<float>> Build);

/// <summary>The networks <c>--model</c> can name. Adding one is one entry in <see cref="Catalog"/>.</summary>
internal static class Models
{
    public static readonly IReadOnlyDictionary<string, ModelChoice> Catalog = new Dictionary<string, ModelChoice>
    {
        ["mlp"] = new("784-256-128-10 perceptron, ReLU, He initialisation", FlatInput: true, DefaultEpochs: 20, Mlp),
        ["cnn"] = new("LeNet-like CNN: conv 5×5 ×16, ReLU, max-pool, conv 5×5 ×32, ReLU, max-pool, dense 128, dropout 0.3, dense 10", FlatInput: false, DefaultEpochs: 10, Cnn),
    };

    /// <summary>The model called <paramref name="name"/>; the command line accepts only the names in <see cref="Catalog"/>.</summary>
    public static ModelChoice Find(string name) => Catalog[name];

    private static Sequential<float> Mlp(int seed) =>
        Network.Sequential<float>(28 * 28)
            .Dense(256, WeightInit.HeUniform).ReLU()
            .Dense(128, WeightInit.HeUniform).ReLU()
            .Dense(10, WeightInit.HeUniform)
            .Build(seed);

    // LeNet's shape (convolution, ReLU, pooling twice, then dense layers) with more filters: 28² → 16×28² → 16×14² → 32×10² → 32×5² → 128 → 10.
    private static Sequential<float> Cnn(int seed) =>
        Network.Sequential<float>(inputShape: [1, 28, 28])
            .Conv2D(16, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(32, kernel: 5).ReLU().MaxPool2D(2)
            .Flatten()
            .Dense(128, WeightInit.HeUniform).ReLU().Dropout(0.3)
            .Dense(10)
            .Build(seed);
}
