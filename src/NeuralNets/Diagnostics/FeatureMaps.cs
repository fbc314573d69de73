using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>One layer's output for one input, as <see cref="FeatureMaps.Of"/> returns it.</summary>
/// <param name="Index">The layer's position in the network.</param>
/// <param name="Layer">The layer's text, e.g. <c>Conv2D(1 → 6, 5×5, stride 1, padding 2)</c>.</param>
/// <param name="Output">A copy of its output, <c>[1, ...]</c>.</param>
/// <typeparam name="T">The element type.</typeparam>
public sealed record LayerOutput<T>(int Index, string Layer, Tensor<T> Output)
{
    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}

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

    /// <summary>
    /// Draws one layer's output as a grid titled like <c>layer 1 · ReLU · 16×28×28</c>: one cell per channel of a <c>[1, C, H, W]</c>
    /// output, or one strip for a <c>[1, F]</c> output. Each channel is scaled by its own range, so a weak channel is not crushed
    /// to black by a strong one, and labelled with its index and its largest value (<c>3 max 2.41</c>; <c>max|y|</c>, the largest
    /// magnitude, in the diverging colour map, where the output has negative values). A channel that is one value everywhere
    /// (a ReLU switched off for this input) is marked "constant 0" rather than drawn as silent black.
    /// </summary>
    /// <param name="output">An entry of <see cref="Of"/>.</param>
    /// <param name="zoom">Each value drawn as a zoom×zoom block.</param>
    /// <param name="columns">Channels per row (0: a square grid).</param>
    /// <param name="textScale">Pixels per font pixel of the title and labels.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static Picture Draw<T>(LayerOutput<T> output, int zoom = 4, int columns = 8, int textScale = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        var shape = output.Output.Shape();
        if (shape.Length is not (2 or 4) || shape[0] != 1)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Feature maps are drawn from a [1, C, H, W] or [1, F] output, but layer {output.Index} gave {TensorMemory.ShapeText(shape)}."), nameof(output));
        string name = output.Layer.Split('(')[0];
        string size = string.Join("×", shape.Skip(1).Select(s => s.ToString(CultureInfo.InvariantCulture)));
        string title = $"layer {output.Index.ToString(CultureInfo.InvariantCulture)} · {name} · {size}";
        ReadOnlySpan<T> values = output.Output.Span();
        bool signed = TensorPrimitives.Min(values) < T.Zero;
        if (shape.Length == 2)
        {
            return ImageGrid.Draw(TensorMemory.Wrap(values.ToArray(), [1, 1, shape[1]]), new ImageGridOptions
            {
                Zoom = zoom, Diverging = signed, ColorBar = true, Title = title, TextScale = textScale,
            });
        }
        int channels = shape[1], plane = shape[2] * shape[3];
        var labels = new string[channels];
        for (int c = 0; c < channels; c++)
        {
            var channel = values.Slice(c * plane, plane);
            double peak = double.CreateChecked(signed ? TensorPrimitives.MaxMagnitude(channel) : TensorPrimitives.Max(channel));
            labels[c] = $"{c.ToString(CultureInfo.InvariantCulture)} {(signed ? "max|y|" : "max")} {ScaleText.Format(Math.Abs(peak))}";
        }
        return ImageGrid.Draw(TensorMemory.Wrap(values.ToArray(), [channels, 1, shape[2], shape[3]]), new ImageGridOptions
        {
            Columns = columns, Zoom = zoom, Diverging = signed, ScaleEachImage = true, Labels = labels, Title = title, TextScale = textScale,
        });
    }

    /// <summary>
    /// The largest value each channel of layer <paramref name="layer"/> reaches over a whole set of inputs: 0 (or less) after a ReLU
    /// means the channel is dead for all of them, not just dark for one image.
    /// </summary>
    /// <param name="network">Any network.</param>
    /// <param name="layer">The layer's index.</param>
    /// <param name="inputs">A batch of inputs, <c>[N, ...]</c>.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>One maximum per channel (the first dimension of the layer's per-sample output).</returns>
    public static double[] ChannelMaxima<T>(Sequential<T> network, int layer, Tensor<T> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        PartialPass.CheckLayer(network, layer, nameof(layer));
        var output = PartialPass.Forward(network, layer, inputs);
        if (output.Rank < 2)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Layer {layer} gives {TensorMemory.ShapeText(output.Shape())}, which has no channel dimension."), nameof(layer));
        int batch = output.BatchSize(), channels = (int)output.Lengths[1], perChannel = (int)(output.FlattenedLength / batch / channels);
        ReadOnlySpan<T> values = output.Span();
        var maxima = new double[channels];
        Array.Fill(maxima, double.NegativeInfinity);
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                maxima[c] = Math.Max(maxima[c], double.CreateChecked(TensorPrimitives.Max(values.Slice((n * channels + c) * perChannel, perChannel))));
        return maxima;
    }
}
