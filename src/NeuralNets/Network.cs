using System.Numerics;

namespace NeuralNets;

/// <summary>Entry point of the fluent builder: <c>Network.Sequential&lt;float&gt;(784).Dense(128).ReLU().Dense(10).Build(seed: 42)</c>.</summary>
public static class Network
{
    /// <summary>Starts a sequential network for samples of <paramref name="inputShape"/> (e.g. <c>784</c> or <c>1, 28, 28</c>).</summary>
    public static SequentialBuilder<T> Sequential<T>(params IReadOnlyList<int> inputShape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(inputShape);
}
