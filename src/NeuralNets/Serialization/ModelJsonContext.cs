using System.Text.Json.Serialization;

namespace NeuralNets.Serialization;

/// <summary>
/// How a model file is written, generated at build time: no reflection over <see cref="ModelDocument"/> at run time, so
/// saving works the same in a trimmed or Native AOT application as under the JIT, and writes the same bytes.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(LayerDescriptionJson)])]
[JsonSerializable(typeof(ModelDocument))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
