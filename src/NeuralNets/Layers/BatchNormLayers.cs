using System.Globalization;
using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>Finds the <see cref="BatchNorm{T}"/> layers of a network, whose running statistics are state to keep with the weights.</summary>
internal static class BatchNormLayers
{
    /// <summary>
    /// Every BatchNorm layer of <paramref name="network"/>, inside nested <see cref="Sequential{T}"/>s and <see cref="Residual{T}"/>s too, depth first in
    /// layer order (the order a checkpoint restores them in), each with its place: <c>"1"</c>, <c>"2.0"</c>, or <c>""</c>
    /// when the network is itself the layer.
    /// </summary>
    public static (BatchNorm<T> Layer, string Place)[] Of<T>(ILayer<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var found = new List<(BatchNorm<T>, string)>();
        if (network is BatchNorm<T> alone) found.Add((alone, ""));
        else Add(network, "", found);
        return [.. found];
    }

    // The layers nested in a Sequential or a Residual (NestedLayers).
    private static void Add<T>(ILayer<T> network, string prefix, List<(BatchNorm<T>, string)> found) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = NestedLayers.Of(network);
        for (int i = 0; i < layers.Count; i++)
        {
            string place = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (layers[i] is BatchNorm<T> batchNorm) found.Add((batchNorm, place));
            else Add(layers[i], place + ".", found);
        }
    }

    /// <summary>The name of a layer's statistic as PyTorch's <c>state_dict</c> keys it: <c>"1.running_var"</c>.</summary>
    public static string StatisticName(string place, string statistic) => place.Length == 0 ? statistic : place + "." + statistic;
}
