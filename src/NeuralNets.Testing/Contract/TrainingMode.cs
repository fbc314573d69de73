using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>Whether a layer's training pass differs from inference by design: from the options, else from its kind or the kinds inside it.</summary>
internal static class TrainingMode
{
    private static readonly string[] KindsThatDiffer = ["Dropout", "BatchNorm", "BatchNorm1D", "BatchNorm2D"];

    public static bool Differs(ILayer<double> layer, LayerContractOptions options) => options.TrainingDiffers ?? ByKind(layer);

    /// <summary>Whether the layer's kind, or for a <see cref="Sequential{T}"/> any inner layer's, is one whose training pass differs.</summary>
    public static bool ByKind(ILayer<double> layer) =>
        KindsThatDiffer.Contains(layer.Describe().Kind, StringComparer.Ordinal)
        || (layer is Sequential<double> network && network.Layers.Any(ByKind))
        || (layer is Residual<double> block && block.Branches.Any(ByKind));
}
