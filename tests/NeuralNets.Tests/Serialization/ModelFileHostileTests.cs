using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>Model files the loader did not write: each malformed one fails cleanly, names the file and field, and costs little.</summary>
public sealed class ModelFileHostileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();

    // Layers: 0 Dense(3→5), 1 LeakyReLU, 2 Dense(5→4), 3 Tanh, 4 Dense(4→2), 5 Sigmoid.
    private static Sequential<double> SmallNetwork(int seed) =>
        Network.Sequential<double>(3).Dense(5).LeakyReLU(0.1).Dense(4).Tanh().Dense(2).Sigmoid().Build(seed);

    private string Saved<T>(Sequential<T> network, string name = "model.json") where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        string path = Path.Combine(Folder, name);
        ModelFile.Save(network, path);
        return path;
    }

    private static readonly Dictionary<string, Action<JsonObject>> JsonEdits = new()
    {
        ["layers [null]"] = root => root["Layers"] = new JsonArray((JsonNode?)null),
        ["layers empty"] = root => root["Layers"] = new JsonArray(),
        ["data null"] = root => Parameter(root, 0)["Data"] = null,
        ["data @@@"] = root => Parameter(root, 0)["Data"] = "@@@",
        ["data short"] = root => Parameter(root, 0)["Data"] = "AAAAAAAAAAA=",
        ["inputs 1e20"] = root => Settings(root, 2)["inputs"] = 1e20,
        ["inputs -5"] = root => Settings(root, 2)["inputs"] = -5,
        ["inputs 2.5"] = root => Settings(root, 2)["inputs"] = 2.5,
        ["inputs text"] = root => Settings(root, 2)["inputs"] = "5",
        ["outputs missing"] = root => Settings(root, 2).Remove("outputs"),
        ["settings missing"] = root => Layer(root, 2).Remove("Settings"),
        ["kind number"] = root => Layer(root, 0)["Kind"] = 7,
        ["kind Swish"] = root => Layer(root, 1)["Kind"] = "Swish",
        ["slope -1"] = root => Settings(root, 1)["slope"] = -1,
        ["input shape text"] = root => root["InputShape"] = "abc",
        ["input shape 7"] = root => root["InputShape"] = new JsonArray(7),
        ["element type missing"] = root => root.Remove("ElementType"),
        ["element type Half"] = root => root["ElementType"] = "Half",
        ["shape 0"] = root => Parameter(root, 0)["Shape"] = new JsonArray(0, 3),
        ["shape 1e20"] = root => Parameter(root, 0)["Shape"] = new JsonArray(1e20, 3),
        ["parameters object"] = root => root["Parameters"] = new JsonObject(),
    };

    [Theory]
    [InlineData("layers [null]", "*layer 0 must be an object, was null*")]
    [InlineData("layers empty", "*'Layers' is empty*")]
    [InlineData("data null", "*parameter 0: 'Data' must be a string, was null*")]
    [InlineData("data @@@", "*parameter '0.weight': 'Data' is not valid base64*")]
    [InlineData("data short", "*parameter '0.weight' holds 8 bytes, expected 120*")]
    [InlineData("inputs 1e20", "*layer 2 (Dense): 'inputs' must be a positive integer, was 1E+20*")]
    [InlineData("inputs -5", "*layer 2 (Dense): 'inputs' must be a positive integer, was -5*")]
    [InlineData("inputs 2.5", "*layer 2 (Dense): 'inputs' must be a positive integer, was 2.5*")]
    [InlineData("inputs text", "*layer 2 (Dense): 'Settings.inputs' must be a finite number, was \"5\"*")]
    [InlineData("outputs missing", "*layer 2 (Dense) lacks the setting 'outputs'*")]
    [InlineData("settings missing", "*layer 2 lacks the field 'Settings'*")]
    [InlineData("kind number", "*layer 0: 'Kind' must be a string, was 7*")]
    [InlineData("kind Swish", "*layer 1 has the unknown kind 'Swish'*")]
    [InlineData("slope -1", "*layer 1 (LeakyReLU): 'slope' must be a finite non-negative number, was -1*")]
    [InlineData("input shape text", "*'InputShape' must be a non-empty array of positive integers, was \"abc\"*")]
    [InlineData("input shape 7", "*layer 0 (Dense) does not fit*")]
    [InlineData("element type missing", "*lacks the field 'ElementType'*")]
    [InlineData("element type Half", "*'ElementType' must be \"Single\" or \"Double\", was \"Half\"*")]
    [InlineData("shape 0", "*parameter 0: 'Shape[0]' must be a positive integer, was 0*")]
    [InlineData("shape 1e20", "*parameter 0: 'Shape[0]' must be a positive integer, was 1E+20*")]
    [InlineData("parameters object", "*'Parameters' must be an array, was an object*")]
    public void Load_MalformedField_ThrowsInvalidDataNamingFileAndField(string edit, string message)
    {
        string path = Saved(SmallNetwork(seed: 3));
        Edit(path, JsonEdits[edit]);

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}'*").WithMessage(message);
    }

    [Theory]
    [InlineData("{\"Format\": \"neuralnets-model/1\", ")]
    [InlineData("{\"Format\": \"neuralnets-model/1\", \"ElementType\": \"Double\",, }")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public void Load_NotJsonOrNotAnObject_ThrowsInvalidDataNamingFile(string text)
    {
        string path = Path.Combine(Folder, "model.json");
        File.WriteAllText(path, text);

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not a NeuralNets model file*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var act = () => ModelFile.Load<double>(Path.Combine(Folder, "absent.json"));
        act.Should().Throw<FileNotFoundException>();
    }

    [Theory]
    [InlineData(40000)]
    [InlineData(100000)]
    [InlineData(int.MaxValue)]
    public void Load_DenseClaimingHugeSizes_ThrowsBeforeAllocatingTheWeights(int size)
    {
        string path = Saved(Network.Sequential<double>(4).Dense(3).Build(seed: 5));
        Edit(path, root =>
        {
            Settings(root, 0)["inputs"] = size;
            Settings(root, 0)["outputs"] = size;
        });

        var (bytes, error) = Allocation.Measure(() => ModelFile.Load<double>(path));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("parameter 0 is '0.weight' [3, 4] in the file but '0.weight' [" + size);
        bytes.Should().BeLessThan(Allocation.Bound(new FileInfo(path).Length));
    }

    [Fact]
    public void Load_DenseClaimingHugeSizesInLayerAndRecord_ThrowsOnTheDataLength()
    {
        string path = Saved(Network.Sequential<float>(4).Dense(3).Build(seed: 5));
        Edit(path, root =>
        {
            Settings(root, 0)["inputs"] = 20000;
            Settings(root, 0)["outputs"] = 20000;
            Parameter(root, 0)["Shape"] = new JsonArray(20000, 20000);
            Parameter(root, 1)["Shape"] = new JsonArray(20000);
            root["InputShape"] = new JsonArray(20000);
        });

        var (bytes, error) = Allocation.Measure(() => ModelFile.Load<float>(path));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("'0.weight' holds 48 bytes, expected 1600000000");
        bytes.Should().BeLessThan(Allocation.Bound(new FileInfo(path).Length));
    }

    [Fact]
    public void LoadParameters_LaterParameterMismatches_LeavesEveryParameterUnchanged()
    {
        string path = Saved(Network.Sequential<double>(4).Dense(8).Tanh().Dense(3).Build(seed: 1));
        var target = Network.Sequential<double>(4).Dense(8).Tanh().Dense(5).Build(seed: 2);
        var before = Bits(target);

        var act = () => ModelFile.LoadParameters(target, path);

        act.Should().Throw<InvalidDataException>().WithMessage("*parameter 2 is '2.weight' [3, 8] in the file but '2.weight' [5, 8] in the network*");
        Bits(target).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void LoadParameters_LastParameterNotBase64_LeavesEveryParameterUnchanged()
    {
        string path = Saved(SmallNetwork(seed: 1));
        Edit(path, root => Parameter(root, 5)["Data"] = "@@@");
        var target = SmallNetwork(seed: 2);
        var before = Bits(target);

        var act = () => ModelFile.LoadParameters(target, path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': parameter '4.bias': 'Data' is not valid base64*");
        Bits(target).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void LoadParameters_OtherElementType_ThrowsNamingBothTypes()
    {
        string path = Saved(Network.Sequential<float>(3).Dense(5).LeakyReLU(0.1).Dense(4).Tanh().Dense(2).Sigmoid().Build(seed: 1));
        var target = SmallNetwork(seed: 2);
        var before = Bits(target);

        var act = () => ModelFile.LoadParameters(target, path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' holds parameters of Single, not Double.");
        Bits(target).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    private static long[][] Bits(Sequential<double> network) =>
        network.Parameters.Select(p => p.ValueSpan.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray()).ToArray();
}
