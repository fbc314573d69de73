using System.Text.Json;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class LayerDescriptionTests
{
    [Fact]
    public void Describe_RoundTripsThroughJson_ForEveryLayerOfANetwork()
    {
        var network = Network.Sequential<float>(4).Dense(8).LeakyReLU(0.2).Dense(3).Softmax().Build(seed: 1);
        foreach (var layer in network.Layers)
        {
            var description = layer.Describe();
            var json = JsonSerializer.Serialize(description);
            var back = JsonSerializer.Deserialize<LayerDescription>(json);
            back.Should().Be(description, json);
        }
    }

    [Fact]
    public void Describe_Dense_CarriesItsShape()
    {
        var description = new Dense<double>(784, 128, seed: 0).Describe();
        description.Kind.Should().Be("Dense");
        description.Settings.Should().Contain("inputs", 784).And.Contain("outputs", 128);
    }

    [Fact]
    public void ToString_Sequential_ListsLayersWithShapes()
    {
        var text = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 0).ToString();
        text.Should().Contain("Dense(784 → 128)").And.Contain("Sigmoid()").And.Contain("→ [10]").And.Contain("101770 parameters");
    }
}
