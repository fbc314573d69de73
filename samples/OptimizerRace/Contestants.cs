using NeuralNets;
using NeuralNets.Optimizers;

/// <summary>One optimizer in the race: its name, how to build it, and the batch size it trains with.</summary>
/// <param name="Name">The name printed in the table and the legend.</param>
/// <param name="Create">Builds the optimizer over the network's parameters.</param>
/// <param name="FullBatch">Whether it takes the whole training set as one batch (L-BFGS).</param>
internal sealed record Contestant(string Name, Func<IReadOnlyList<Parameter<float>>, IOptimizer<float>> Create, bool FullBatch = false)
{
    /// <summary>
    /// Every optimizer, each with a learning rate that suits this network. Momentum and Nesterov use the lecture's η,
    /// whose step along a steady gradient is η/(1 − γ) = 10·η: so 0.01 there matches Sgd's 0.1.
    /// </summary>
    public static readonly Contestant[] All =
    [
        new("Sgd", p => new Sgd<float>(p, learningRate: 0.1)),
        new("Momentum", p => new Momentum<float>(p, learningRate: 0.01)),
        new("Nesterov", p => new Nesterov<float>(p, learningRate: 0.01)),
        new("Adagrad", p => new Adagrad<float>(p, learningRate: 0.05)),
        new("Adadelta", p => new Adadelta<float>(p)),
        new("RmsProp", p => new RmsProp<float>(p, learningRate: 0.003)),
        new("Adam", p => new Adam<float>(p, learningRate: 0.005)),
        new("AdamW", p => new AdamW<float>(p, learningRate: 0.005)),
        new("Nadam", p => new Nadam<float>(p, learningRate: 0.005)),
        new("Lbfgs", p => new Lbfgs<float>(p), FullBatch: true),
    ];
}
