using System.Text.Json;
using System.Text.Json.Serialization;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Writes a <see cref="LayerDescription"/> as a model file holds it: <c>Kind</c> and <c>Settings</c> always, and
/// <c>TextSettings</c>, <c>ListSettings</c> and <c>Layers</c> only when they are not empty, so that a network of
/// built-in layers reads as it did in version 1 of the format. Reading goes through <see cref="ModelJson"/>, which checks every field.
/// </summary>
internal sealed class LayerDescriptionJson : JsonConverter<LayerDescription>
{
    public override LayerDescription Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Model files are read field by field by ModelJson.");

    public override void Write(Utf8JsonWriter writer, LayerDescription value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("Kind", value.Kind);
        writer.WriteStartObject("Settings");
        foreach (var (key, number) in value.Settings) writer.WriteNumber(key, number);
        writer.WriteEndObject();
        if (value.TextSettings.Count > 0)
        {
            writer.WriteStartObject("TextSettings");
            foreach (var (key, text) in value.TextSettings) writer.WriteString(key, text);
            writer.WriteEndObject();
        }
        if (value.ListSettings.Count > 0)
        {
            writer.WriteStartObject("ListSettings");
            foreach (var (key, list) in value.ListSettings)
            {
                writer.WriteStartArray(key);
                foreach (int item in list) writer.WriteNumberValue(item);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        if (value.Layers.Count > 0)
        {
            writer.WriteStartArray("Layers");
            foreach (var layer in value.Layers) Write(writer, layer, options);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }
}
