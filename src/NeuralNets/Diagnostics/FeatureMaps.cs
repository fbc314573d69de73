using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>One layer's output for one input, as <see cref="FeatureMaps.Of"/> returns it.</summary>
/// <param name="Index">The layer's position in the network.</param>
/// <param name="Layer">The layer's text, e.g. <c>Conv2D(1 → 6, 5×5, stride 1, padding 2)</c>.</param>
/// <param name="Output">A copy of its output, <c>[1, ...]</c>.</param>
/// <typeparam name="T">The element type.</typeparam>
public sealed record LayerOutput<T>(int Index, string Layer, Tensor<T> Output);

/// <summary>What every layer of a network makes of one input: the feature maps the lecture shows layer by layer.</summary>
public static class FeatureMaps
{
    /// <summary>Runs <paramref name="sample"/> through the network in inference mode and keeps a copy of every layer's output.</summary>
    /// <param name="network">Any network.</param>
    /// <param name="sample">One input, with its batch dimension of 1 (e.g. <c>[1, 1, 28, 28]</c>).</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>One entry per layer, in order; the last is the network's output.</returns>
    public static IReadOnlyList<LayerOutput<T>> Of<T>(Sequential<T> network, Tensor<T> sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Rank == 0 || sample.Lengths[0] != 1)
            throw new ArgumentException($"Feature maps are drawn for one input of batch size 1, but got {TensorMemory.ShapeText(sample.Shape())}.", nameof(sample));
        var outputs = new List<LayerOutput<T>>(network.Layers.Count);
        var x = sample;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            x = network.Layers[i].Forward(x, training: false);
            outputs.Add(new LayerOutput<T>(i, network.Layers[i].ToString() ?? "", TensorMemory.Wrap(x.Span().ToArray(), x.Shape())));
        }
        return outputs;
    }
}
