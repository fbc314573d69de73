using NeuralNets.Layers;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// The seeded random streams of a layer and of every layer inside it (Dropout's masks): rewinding them before each
/// training pass makes every pass draw the same numbers, so a training-mode Forward is a fixed function to differentiate.
/// </summary>
internal sealed class RandomStreams
{
    private readonly (IRandomStreamLayer Layer, long Position)[] _streams;

    private RandomStreams((IRandomStreamLayer, long)[] streams) => _streams = streams;

    public static RandomStreams Of(ILayer<double> layer)
    {
        var found = new List<(IRandomStreamLayer, long)>();
        Walk(layer, found);
        return new RandomStreams([.. found]);
    }

    public void Rewind()
    {
        foreach (var (layer, position) in _streams) layer.RandomPosition = position;
    }

    private static void Walk(ILayer<double> layer, List<(IRandomStreamLayer, long)> found)
    {
        if (layer is IRandomStreamLayer random) found.Add((random, random.RandomPosition));
        if (layer is Sequential<double> network)
            foreach (var inner in network.Layers) Walk(inner, found);
    }
}
