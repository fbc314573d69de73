using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>A network inside a network is saved and loaded whole, its parameters keeping their nested names.</summary>
public sealed class NestedSequentialFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Sequential<double> Nested(int seed)
    {
        var block = new Sequential<double>([3], new Dense<double>(3, 4, seed), new Tanh<double>(), new Dense<double>(4, 4, seed + 1));
        var deeper = new Sequential<double>(new Sequential<double>(new ReLU<double>(), new Dense<double>(4, 2, seed + 2)), new Sigmoid<double>());
        return new Sequential<double>([3], block, deeper, new Dense<double>(2, 1, seed + 3));
    }

    [Fact]
    public void SaveThenLoad_NestedNetworks_SameNamesSameLayersSamePredictions()
    {
        var network = Nested(seed: 5);
        string path = Path.Combine(_temp.Path, "nested.json");

        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        loaded.Parameters.Select(p => p.Name).Should().Equal(
            "0.0.weight", "0.0.bias", "0.2.weight", "0.2.bias", "1.0.1.weight", "1.0.1.bias", "2.weight", "2.bias");
        loaded.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        loaded.Layers.Select(l => l.Describe()).Should().Equal(network.Layers.Select(l => l.Describe()));
        ((Sequential<double>)loaded.Layers[0]).InputShape.Should().Equal(3);
        ((Sequential<double>)loaded.Layers[1]).InputShape.Should().BeNull();
        var x = TestTensors.Random<double>(11, 5, 3);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.ToString().Should().Be(network.ToString());
    }

    [Fact]
    public void LoadParameters_NestedFileIntoFreshNestedNetwork_CopiesEveryValue()
    {
        string path = Path.Combine(_temp.Path, "nested.json");
        var trained = Nested(seed: 1);
        ModelFile.Save(trained, path);
        var fresh = Nested(seed: 40);

        ModelFile.LoadParameters(fresh, path);

        for (int i = 0; i < fresh.Parameters.Count; i++)
            fresh.Parameters[i].ValueSpan.ToArray().Should().Equal(trained.Parameters[i].ValueSpan.ToArray());
    }

    [Theory]
    [InlineData("inner empty", "*layer 1 (Sequential): 'Layers' is empty*")]
    [InlineData("inner bad setting", "*layer 0.0 (Dense): 'inputs' must be a positive integer, was -3*")]
    [InlineData("inner unknown kind", "*layer 1.0.1 has the unknown kind 'Mystery'*")]
    [InlineData("inner not an object", "*layer 1 (Sequential): layer 0 must be an object, was 4*")]
    [InlineData("inner input shape 0", "*layer 0 (Sequential): 'inputShape[0]' must be a positive integer, was 0*")]
    [InlineData("inner list text", "*layer 0 (Sequential): 'ListSettings.inputShape[0]' must be a 32-bit integer, was \"3\"*")]
    public void Load_DamagedInnerLayer_ThrowsInvalidDataNamingTheInnerLayer(string edit, string message)
    {
        string path = Path.Combine(_temp.Path, "nested.json");
        ModelFile.Save(Nested(seed: 2), path);
        Edit(path, edit switch
        {
            "inner empty" => root => Layer(root, 1)["Layers"] = new JsonArray(),
            "inner bad setting" => root => Inner(root, 0, 0)["Settings"]!["inputs"] = -3,
            "inner unknown kind" => root => Inner(Inner(root, 1, 0), 1)["Kind"] = "Mystery",
            "inner not an object" => root => Layer(root, 1)["Layers"]![0] = 4,
            "inner input shape 0" => root => Layer(root, 0)["ListSettings"]!["inputShape"] = new JsonArray(0),
            "inner list text" => root => Layer(root, 0)["ListSettings"]!["inputShape"] = new JsonArray("3"),
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        });

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}'*").WithMessage(message);
    }

    [Fact]
    public void Load_InnerParameterMisnamed_ThrowsNamingTheNestedName()
    {
        string path = Path.Combine(_temp.Path, "nested.json");
        ModelFile.Save(Nested(seed: 2), path);
        Edit(path, root => root["Parameters"]![4]!["Name"] = "1.0.1.gain");

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*parameter 4 is '1.0.1.gain' [2, 4] in the file but '1.0.1.weight' [2, 4] in the layers*");
    }

    private static JsonObject Inner(JsonObject layerOrRoot, int index, int inner) =>
        (layerOrRoot.ContainsKey("Format") ? Layer(layerOrRoot, index) : layerOrRoot["Layers"]![index]!.AsObject())["Layers"]![inner]!.AsObject();

    private static JsonObject Inner(JsonObject layer, int inner) => layer["Layers"]![inner]!.AsObject();
}
