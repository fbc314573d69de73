using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Where the seeded random streams of a layer and of every layer inside it (<see cref="IRandomStreamLayer"/>s such as
/// Dropout, in nested <see cref="Sequential{T}"/>s too) stood at one moment. <see cref="Restore"/> sets them back, so the
/// next training pass draws the masks the first pass after <see cref="Capture"/> drew: a training pass becomes a fixed
/// function, which a gradient check can differentiate and two runs can compare.
/// </summary>
public sealed class RandomStreamPositions
{
    private readonly (IRandomStreamLayer Layer, long Position)[] _streams;

    private RandomStreamPositions((IRandomStreamLayer, long)[] streams) => _streams = streams;

    /// <summary>How many streams were captured (0 for a layer that draws nothing).</summary>
    public int Count => _streams.Length;

    /// <summary>Captures the positions of <paramref name="layer"/>'s streams now.</summary>
    /// <param name="layer">A layer or network.</param>
    public static RandomStreamPositions Capture<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        var found = new List<(IRandomStreamLayer, long)>();
        Walk(layer, found);
        return new RandomStreamPositions([.. found]);
    }

    /// <summary>Sets every captured stream back to its captured position.</summary>
    public void Restore()
    {
        foreach (var (layer, position) in _streams) layer.RandomPosition = position;
    }

    private static void Walk<T>(ILayer<T> layer, List<(IRandomStreamLayer, long)> found) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer is IRandomStreamLayer random) found.Add((random, random.RandomPosition));
        foreach (var inner in NestedLayers.Of(layer)) Walk(inner, found);
    }
}
