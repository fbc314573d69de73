using System.Text;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>A model file of many small layers: each costs the loader a small multiple of the text that describes it.</summary>
public sealed class ModelFileManyLayersTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_HundredThousandActivations_AllocatesUnderFortyTimesTheFile()
    {
        // 30 bytes a layer ({"Kind":"ReLU","Settings":{}},). The network itself (the layer, its place in the
        // Sequential) is about 550 bytes of it; the rest was the loader's own: a settings check through LINQ, two
        // readers per layer, empty dictionaries for fields the file leaves out, and the file's path in strings.
        const int layers = 100_000;
        var text = new StringBuilder($"{{\"Format\":\"{ModelDocument.CurrentFormat}\",\"ElementType\":\"Single\",\"InputShape\":[1],\"Layers\":[");
        for (int i = 0; i < layers; i++) text.Append(i == 0 ? "" : ",").Append("{\"Kind\":\"ReLU\",\"Settings\":{}}");
        text.Append("],\"Parameters\":[]}");
        string path = _temp.File("activations.json");
        File.WriteAllText(path, text.ToString());
        ModelFile.Load<float>(path);  // warm-up: first-call allocations are not the file's
        long fileBytes = new FileInfo(path).Length;

        var (bytes, error) = Allocation.Measure(() => ModelFile.Load<float>(path));

        error.Should().BeNull();
        bytes.Should().BeLessThan(40 * fileBytes, $"{bytes} bytes were allocated for a file of {fileBytes} bytes ({(double)bytes / fileBytes:F1} times)");
    }
}
