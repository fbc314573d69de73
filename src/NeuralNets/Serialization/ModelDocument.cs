using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>The JSON shape of a model file; property names are the file's field names.</summary>
internal sealed record ModelDocument(string Format, string ElementType, int[] InputShape, LayerDescription[] Layers, ParameterRecord[] Parameters)
{
    /// <summary>The value of <see cref="Format"/> in every file this version writes and reads.</summary>
    public const string CurrentFormat = "neuralnets-model/1";
}

/// <summary>One parameter in a model file: its name, shape and values as base64 of little-endian bytes.</summary>
internal sealed record ParameterRecord(string Name, int[] Shape, string Data);

/// <summary>A parameter as the layers (or a network) expect it: the name and shape a record must have.</summary>
internal readonly record struct ParameterSpec(string Name, int[] Shape);
