using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A model file's objects (the model, each layer, each parameter) hold only the fields the format has: a misspelt or
/// damaged field name (one flipped bit turns "ListSettings" into "ListSettinfs") is refused by name, where it was
/// dropped with what it held.
/// </summary>
public class ModelFileUnknownFieldTests
{
    public static TheoryData<string, string> Damages => new()
    {
        { "model", "Extra" },
        { "layer", "ListSettinfs" },
        { "nested layer", "TextSettingz" },
        { "parameter", "Gradient" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void AFieldTheFormatDoesNotHave_IsRefusedByName(string where, string field)
    {
        var json = JsonNode.Parse(SavedText())!.AsObject();
        var target = where switch
        {
            "model" => json,
            "layer" => json["Layers"]![0]!.AsObject(),
            "nested layer" => json["Layers"]![0]!["Layers"]![0]!.AsObject(),
            _ => json["Parameters"]![0]!.AsObject(),
        };
        target[field] = JsonValue.Create(1);
        string path = TempFile(json.ToJsonString());
        try
        {
            var act = () => ModelFile.Load<float>(path);
            act.Should().Throw<InvalidDataException>().WithMessage($"*'{field}' is not a field of*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheSavedFile_LoadsWithTheSameOutputs()
    {
        string path = TempFile(SavedText());
        try
        {
            var loaded = ModelFile.Load<float>(path);
            loaded.Predict([1f, -2f, 0.5f]).Should().Equal(Network().Predict([1f, -2f, 0.5f]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Sequential<float> Network() =>
        new([3], new Sequential<float>([3], new Dense<float>(3, 4, seed: 1), new ReLU<float>()), new Dense<float>(4, 2, seed: 2));

    private static string SavedText()
    {
        string path = TempFile("");
        try
        {
            ModelFile.Save(Network(), path);
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TempFile(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"unknown-field-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }
}
