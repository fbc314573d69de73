using NeuralNets;

namespace FashionMnistSample;

/// <summary>The networks the sample can train; each says whether it wants flat [784] samples or [1, 28, 28] images.</summary>
internal static class Models
{
    /// <summary>The names <c>--model</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["mlp"];

    /// <summary>Returns <paramref name="name"/> when it names a model, else throws listing the choices.</summary>
    public static string Check(string name) =>
        Names.Contains(name) ? name : throw new ArgumentException($"unknown model '{name}'; choose one of: {string.Join(", ", Names)}.");

    /// <summary>Builds the network called <paramref name="name"/> with weights drawn from <paramref name="seed"/>.</summary>
    public static (Sequential<float> Network, bool FlatInput) Create(string name, int seed) => name switch
    {
        "mlp" => (Mlp(seed), true),
        _ => throw new ArgumentException($"unknown model '{name}'; choose one of: {string.Join(", ", Names)}."),
    };

    /// <summary>784-256-128-10 with ReLU and He initialisation.</summary>
    private static Sequential<float> Mlp(int seed) =>
        Network.Sequential<float>(28 * 28)
            .Dense(256, WeightInit.HeUniform).ReLU()
            .Dense(128, WeightInit.HeUniform).ReLU()
            .Dense(10, WeightInit.HeUniform)
            .Build(seed);
}
