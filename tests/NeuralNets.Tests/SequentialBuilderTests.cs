using NeuralNets.Layers;

namespace NeuralNets.Tests;

public class SequentialBuilderTests
{
    [Fact]
    public void Build_DenseLayers_InferInputsFromTheLayerBefore()
    {
        var network = Network.Sequential<float>(4).Dense(8).ReLU().Dense(6).Sigmoid().Dense(3).Build(seed: 1);

        var dense = network.Layers.OfType<Dense<float>>().ToArray();
        dense.Select(d => (d.Inputs, d.Outputs)).Should().Equal((4, 8), (8, 6), (6, 3));
        network.InputShape.Should().Equal(4);
        network.OutputShapeOfNetwork.Should().Equal(3);
        network.ParameterCount.Should().Be(4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3);
        network.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
    }

    [Fact]
    public void Build_SameSeed_SameWeights()
    {
        var a = Network.Sequential<double>(3).Dense(4).Tanh().Dense(2).Build(seed: 5);
        var b = Network.Sequential<double>(3).Dense(4).Tanh().Dense(2).Build(seed: 5);
        var c = Network.Sequential<double>(3).Dense(4).Tanh().Dense(2).Build(seed: 6);

        for (int i = 0; i < a.Parameters.Count; i++) a.Parameters[i].ValueSpan.ToArray().Should().Equal(b.Parameters[i].ValueSpan.ToArray());
        a.Parameters[0].ValueSpan.ToArray().Should().NotEqual(c.Parameters[0].ValueSpan.ToArray());
    }

    [Fact]
    public void Build_DenseAfterImageInput_ThrowsNamingLayerAndShape()
    {
        var act = () => Network.Sequential<float>(1, 28, 28).Dense(10).Build(seed: 1);
        act.Should().Throw<ShapeMismatchException>().WithMessage("Dense(? → 10)*[features]*[1, 28, 28]*Flatten*");
    }

    [Fact]
    public void Build_LayerThatDoesNotFit_ThrowsAtBuildNamingLayerAndBothShapes()
    {
        var builder = Network.Sequential<double>(4).Dense(6).Add((_, random) => new Dense<double>(5, 2, random));

        var act = () => builder.Build(seed: 1);

        act.Should().Throw<ShapeMismatchException>().WithMessage("Dense(5 → 2): expected input of shape [5] but got [6]*");
    }

    [Fact]
    public void Build_NoLayers_Throws()
    {
        var act = () => Network.Sequential<double>(4).Build(seed: 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*no layers*");
    }

    [Fact]
    public void Sequential_NonPositiveInputLength_Throws()
    {
        var act = () => Network.Sequential<double>(4, 0);
        act.Should().Throw<ArgumentException>().WithMessage("*[4, 0]*");
    }
}
