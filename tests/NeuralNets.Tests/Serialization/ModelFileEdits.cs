using System.Text.Json.Nodes;

namespace NeuralNets.Tests.Serialization;

/// <summary>Saved model files changed on purpose, as a hostile or corrupted file would be.</summary>
internal static class ModelFileEdits
{
    /// <summary>Rewrites the JSON file at <paramref name="path"/> after <paramref name="edit"/> has changed its tree.</summary>
    public static void Edit(string path, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>The settings of layer <paramref name="index"/>.</summary>
    public static JsonObject Settings(JsonObject root, int index) => Layer(root, index)["Settings"]!.AsObject();

    public static JsonObject Layer(JsonObject root, int index) => root["Layers"]![index]!.AsObject();

    public static JsonObject Parameter(JsonObject root, int index) => root["Parameters"]![index]!.AsObject();
}
