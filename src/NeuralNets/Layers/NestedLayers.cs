using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>The layers a layer holds, which walks over a network (running statistics, random streams, saving) visit too.</summary>
internal static class NestedLayers
{
    /// <summary>
    /// A <see cref="Sequential{T}"/>'s layers, a <see cref="Residual{T}"/>'s branches, none for any other layer; each inner
    /// layer's place is its index here, as in its tensors' names (<c>"2.0.weight"</c>).
    /// </summary>
    public static IReadOnlyList<ILayer<T>> Of<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> => layer switch
    {
        Sequential<T> network => network.Layers,
        Residual<T> block => block.Branches,
        _ => [],
    };
}
