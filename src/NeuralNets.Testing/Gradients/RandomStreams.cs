using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Gradients;

/// <summary>
/// The seeded random streams of a layer and of every layer inside it (Dropout's masks), the library's
/// <see cref="RandomStreamPositions"/> under the name the contract's rules use: rewinding them before each training pass
/// makes every pass draw the same numbers.
/// </summary>
internal sealed class RandomStreams
{
    private readonly RandomStreamPositions _positions;

    private RandomStreams(RandomStreamPositions positions) => _positions = positions;

    public static RandomStreams Of(ILayer<double> layer) => new(RandomStreamPositions.Capture(layer));

    public void Rewind() => _positions.Restore();
}
