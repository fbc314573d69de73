using NeuralNets;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace Playground.Engine;

/// <summary>Builds the network a configuration describes: Dense + activation per hidden layer, then one output.</summary>
public static class NetworkFactory
{
    /// <summary>
    /// features → [Dense(n) → activation]* → Dense(1). The single output is a logit for the two-class
    /// sets (trained with binary cross-entropy) and the value itself for the regression surface (MSE).
    /// </summary>
    public static Sequential<float> Build(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var builder = Network.Sequential<float>(FeatureNames.Chosen(config.Features).Count);
        foreach (int neurons in config.HiddenLayers)
        {
            // He initialisation suits the rectifiers, Glorot the saturating functions (as PyTorch's guidance).
            bool rectifier = config.Activation is ActivationKind.ReLU or ActivationKind.LeakyReLU;
            builder = builder.Dense(neurons, rectifier ? WeightInit.HeUniform : WeightInit.GlorotUniform);
            builder = config.Activation switch
            {
                ActivationKind.Tanh => builder.Tanh(),
                ActivationKind.Sigmoid => builder.Sigmoid(),
                ActivationKind.ReLU => builder.ReLU(),
                ActivationKind.LeakyReLU => builder.LeakyReLU(0.01),
                _ => throw new ArgumentOutOfRangeException(nameof(config), config.Activation, "Unknown activation."),
            };
        }
        return builder.Dense(1).Build(config.Seed);
    }

    /// <summary>The Dense layers of <paramref name="network"/>, input side first (the hidden ones, then the output).</summary>
    public static IReadOnlyList<Dense<float>> DenseLayers(Sequential<float> network) =>
        network.Layers.OfType<Dense<float>>().ToArray();
}
