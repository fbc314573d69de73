using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuralNets.Serialization;

/// <summary>
/// Saves and loads a <see cref="Sequential{T}"/>: its input shape, every layer's description and
/// every parameter, in one JSON file (parameters as base64 of little-endian values, so they round-trip
/// bit for bit). A save writes a temporary file and moves it into place, so a failed save leaves the
/// old file as it was.
/// </summary>
public static class ModelFile
{
    private const string Format = "neuralnets-model/1";
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/>, replacing it only once the new file is complete.</summary>
    /// <exception cref="ArgumentException">The network was built without an input shape.</exception>
    public static void Save<T>(Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (network.InputShape is null)
            throw new ArgumentException("Only a network that knows its input shape can be saved: build it with Network.Sequential<T>(inputShape) or new Sequential<T>(inputShape, layers).", nameof(network));
        var document = new ModelDocument(
            Format, typeof(T).Name, network.InputShape.ToArray(),
            network.Layers.Select(l => l.Describe()).ToArray(),
            network.Parameters.Select(p => new ParameterRecord(p.Name, p.Shape.ToArray(), Convert.ToBase64String(MemoryMarshal.AsBytes(p.ValueSpan)))).ToArray());
        string full = Path.GetFullPath(path);
        string temporary = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
                JsonSerializer.Serialize(stream, document, Options);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Reads a network saved by <see cref="Save{T}"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a model file, is for another element type, names an unknown layer kind, or its parameters do not fit.</exception>
    public static Sequential<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var document = Read(path);
        if (document.ElementType != typeof(T).Name)
            throw new InvalidDataException($"'{path}' holds a network of {document.ElementType}, not {typeof(T).Name}; load it with Load<{document.ElementType}>.");
        var layers = new ILayer<T>[document.Layers.Length];
        IReadOnlyList<int> shape = document.InputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = LayerFactory.Create<T>(document.Layers[i], path, i);
            shape = layers[i].OutputShape(shape);
        }
        var network = new Sequential<T>(document.InputShape, layers);
        CopyParameters(document, network, path);
        return network;
    }

    /// <summary>Loads only the parameter values of the file into an existing network of the same architecture (PyTorch's <c>load_state_dict</c>).</summary>
    public static void LoadParameters<T>(Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var document = Read(path);
        if (document.ElementType != typeof(T).Name)
            throw new InvalidDataException($"'{path}' holds parameters of {document.ElementType}, not {typeof(T).Name}.");
        CopyParameters(document, network, path);
    }

    private static ModelDocument Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize<ModelDocument>(stream, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a NeuralNets model file: {e.Message}", e);
        }
        if (document is null || document.Format != Format || document.Layers is null || document.Parameters is null || document.InputShape is null)
            throw new InvalidDataException($"'{path}' is not a NeuralNets model file (expected format '{Format}').");
        return document;
    }

    private static void CopyParameters<T>(ModelDocument document, Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = network.Parameters;
        if (parameters.Count != document.Parameters.Length)
            throw new InvalidDataException($"'{path}' holds {document.Parameters.Length} parameters but the network has {parameters.Count}.");
        for (int i = 0; i < parameters.Count; i++)
        {
            var record = document.Parameters[i];
            var parameter = parameters[i];
            if (record.Name != parameter.Name || !record.Shape.SequenceEqual(parameter.Shape))
                throw new InvalidDataException($"'{path}': parameter {i} is '{record.Name}' {ShapeMismatchException.Format(record.Shape)} in the file but '{parameter.Name}' {ShapeMismatchException.Format(parameter.Shape)} in the network.");
            var bytes = Convert.FromBase64String(record.Data);
            if (bytes.Length != parameter.Length * Marshal.SizeOf<T>())
                throw new InvalidDataException($"'{path}': parameter '{record.Name}' holds {bytes.Length} bytes, expected {parameter.Length * Marshal.SizeOf<T>()}.");
            MemoryMarshal.Cast<byte, T>(bytes).CopyTo(parameter.ValueSpan);
        }
    }

    private sealed record ModelDocument(string Format, string ElementType, int[] InputShape, LayerDescription[] Layers, ParameterRecord[] Parameters);

    private sealed record ParameterRecord(string Name, int[] Shape, string Data);
}
