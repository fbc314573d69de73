using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>The JSON shape of a model file; property names are the file's field names.</summary>
internal sealed record ModelDocument(string Format, string ElementType, int[] InputShape, LayerDescription[] Layers, ParameterRecord[] Parameters)
{
    /// <summary>The value of <see cref="Format"/> in every file this version writes.</summary>
    /// <remarks>Version 2 adds to a layer the optional fields <c>TextSettings</c>, <c>ListSettings</c> and <c>Layers</c> (inner layers).</remarks>
    public const string CurrentFormat = "neuralnets-model/2";

    /// <summary>The formats this version reads: version 1 (numbers only, no nested layers) and <see cref="CurrentFormat"/>.</summary>
    public static readonly string[] ReadableFormats = ["neuralnets-model/1", CurrentFormat];

    /// <summary>Whether files hold values of the element type named <paramref name="name"/> (as <c>typeof(T).Name</c> gives it): float and double only.</summary>
    public static bool HoldsElementType(string name) => name is nameof(Single) or nameof(Double);
}

/// <summary>One parameter in a model file: its name, shape and values as base64 of little-endian bytes.</summary>
internal sealed record ParameterRecord(string Name, int[] Shape, string Data);

/// <summary>A parameter as the layers (or a network) expect it: the name and shape a record must have.</summary>
internal readonly record struct ParameterSpec(string Name, IReadOnlyList<int> Shape);
