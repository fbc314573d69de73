using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>Names and mappings for <see cref="OnnxFile.Save{T}"/>; every property has a default.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The graph input's name; <c>input</c> by default.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The graph output's name; <c>output</c> by default.</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>The symbol of the batch dimension, left free so that a runtime takes any batch size; <c>batch</c> by default.</summary>
    public string BatchDimension { get; init; } = "batch";

    /// <summary>
    /// Mappings for layer kinds that <see cref="OnnxMappings.BuiltIn"/> lacks (a layer written outside the library), or
    /// that replace a built-in one; keyed by <see cref="LayerDescription.Kind"/>.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxLayerMapping> Mappings { get; init; } = new Dictionary<string, OnnxLayerMapping>();
}
