using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Layers;

namespace CnnFiltersSample;

/// <summary>Turns a trained network's filters and activations into grids of tiles.</summary>
internal static class Pictures
{
    /// <summary>One tile per (filter, input channel) of <paramref name="conv"/>, a row of tiles per filter when there are several input channels.</summary>
    public static GrayImage Filters(Conv2D<float> conv, int scale)
    {
        var (kh, kw) = conv.Kernel;
        float[] weights = conv.Weight.ValueSpan.ToArray(); // [Cout, Cin, kH, kW]
        var tiles = new List<float[]>();
        for (int t = 0; t < conv.OutChannels * conv.InChannels; t++) tiles.Add(weights[(t * kh * kw)..((t + 1) * kh * kw)]);
        int columns = conv.InChannels == 1 ? Math.Min(8, tiles.Count) : conv.InChannels;
        return GrayImage.Grid(tiles, kh, kw, columns, scale, gap: 2, signed: true);
    }

    /// <summary>
    /// Runs one image through <paramref name="network"/> layer by layer and returns, for every
    /// <see cref="Conv2D{T}"/>, a grid of its output channels (after the activation that follows it, if any).
    /// </summary>
    public static List<GrayImage> FeatureMaps(Sequential<float> network, float[] image)
    {
        var grids = new List<GrayImage>();
        var x = Tensor.Create(image, [1, 1, 28, 28]);
        var layers = network.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, training: false);
            // Draw a convolution's output after its activation: at the activation, or at the convolution when none follows.
            bool activationFollows = i + 1 < layers.Count && layers[i + 1] is Activation<float>;
            bool draw = layers[i] is Conv2D<float> ? !activationFollows : i > 0 && layers[i - 1] is Conv2D<float> && layers[i] is Activation<float>;
            if (!draw) continue;
            int channels = (int)x.Lengths[1], height = (int)x.Lengths[2], width = (int)x.Lengths[3];
            var values = new float[x.FlattenedLength];
            x.FlattenTo(values);
            var tiles = new List<float[]>();
            for (int c = 0; c < channels; c++) tiles.Add(values[(c * height * width)..((c + 1) * height * width)]);
            grids.Add(GrayImage.Grid(tiles, height, width, columns: 8, scale: Math.Max(2, 112 / height), gap: 2, signed: false));
        }
        return grids;
    }
}
