using NeuralNets;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Optimizers;

namespace DecisionBoundariesSample;

/// <summary>The network and optimizer the options name.</summary>
internal static class Choices
{
    public static readonly string[] Activations = ["relu", "tanh", "sigmoid", "leaky-relu", "gelu", "elu", "silu"];
    public static readonly string[] Optimizers = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam"];

    /// <summary>2 inputs, <paramref name="depth"/> hidden layers of <paramref name="width"/> units, one output per class.</summary>
    public static Sequential<float> Network(int width, int depth, string activation, int classes, int seed)
    {
        var builder = NeuralNets.Network.Sequential<float>(2);
        var init = activation is "relu" or "leaky-relu" or "gelu" or "elu" or "silu" ? WeightInit.HeUniform : WeightInit.GlorotUniform;
        for (int layer = 0; layer < depth; layer++)
        {
            builder = builder.Dense(width, init);
            builder = activation switch
            {
                "relu" => builder.ReLU(),
                "tanh" => builder.Tanh(),
                "sigmoid" => builder.Sigmoid(),
                "leaky-relu" => builder.LeakyReLU(),
                "gelu" => builder.GELU(),
                "elu" => builder.ELU(),
                "silu" => builder.SiLU(),
                _ => throw new ArgumentException($"unknown activation '{activation}'."),
            };
        }
        return builder.Dense(classes).Build(seed);
    }

    public static IOptimizer<float> Optimizer(string name, IReadOnlyList<Parameter<float>> parameters, double learningRate) => name switch
    {
        "sgd" => new Sgd<float>(parameters, learningRate),
        "momentum" => new Momentum<float>(parameters, learningRate),
        "nesterov" => new Nesterov<float>(parameters, learningRate),
        "adagrad" => new Adagrad<float>(parameters, learningRate),
        "rmsprop" => new RmsProp<float>(parameters, learningRate),
        "adam" => new Adam<float>(parameters, learningRate),
        "adamw" => new AdamW<float>(parameters, learningRate),
        "nadam" => new Nadam<float>(parameters, learningRate),
        _ => throw new ArgumentException($"unknown optimizer '{name}'."),
    };
}
