namespace NeuralNets.Layers;

/// <summary>
/// A layer that draws random numbers while training (as <see cref="Dropout{T}"/> draws masks) from seeded streams whose
/// position is one number. A checkpoint saves <see cref="RandomPosition"/> for every such layer of a network, inner
/// layers included, and sets it again on resume, so the resumed run draws what an uninterrupted one would.
/// </summary>
/// <remarks>
/// The seed belongs to the layer's description (<see cref="ILayer{T}.Describe"/>), which a checkpoint saves with the
/// architecture; the position is all that changes as training runs. A layer whose draws come from a generator whose
/// state cannot be written as one number (such as <see cref="Random"/>) cannot be resumed bit for bit and should not
/// implement this interface.
/// </remarks>
public interface IRandomStreamLayer
{
    /// <summary>How far the layer has got in its random streams (for <see cref="Dropout{T}"/>, the masks drawn); never negative.</summary>
    long RandomPosition { get; set; }
}
