using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>A network names its layers' parameters without renaming the layers' own objects.</summary>
public class SequentialNamingTests
{
    [Fact]
    public void Constructor_NestingANetwork_LeavesItsNamesAndItsFileAsTheyWere()
    {
        var inner = new Sequential<double>([4], new Dense<double>(4, 8, seed: 1), new Tanh<double>(), new Dense<double>(8, 3, seed: 2));
        string path = Path.Combine(Path.GetTempPath(), $"naming-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(inner, path);
            var outer = new Sequential<double>([4], new Dense<double>(4, 4, seed: 3), inner);

            inner.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");
            outer.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.weight", "1.2.bias");
            ((Dense<double>)inner.Layers[0]).Weight.Name.Should().Be("weight");
            ModelFile.LoadParameters(inner, path); // the inner network's own file still fits it
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parameters_OfANetworkAndOfItsLayer_AreTheSameValuesAndGradient()
    {
        var dense = new Dense<float>(3, 2, seed: 1);
        var network = new Sequential<float>([3], dense);
        network.Parameters[0].ValueSpan[4] = 7f;
        dense.Weight.ValueSpan[4].Should().Be(7f);
        dense.Weight.GradientSpan[1] = 2f;
        network.Parameters[0].GradientSpan[1].Should().Be(2f);
        network.ZeroGradients();
        dense.Weight.Gradient.ToArray().Should().AllBeEquivalentTo(0f);
    }

    [Fact]
    public void Trainer_OptimizerOverTheLayersOwnParameters_IsAccepted()
    {
        var dense = new Dense<float>(2, 2, seed: 1);
        var network = new Sequential<float>([2], dense);
        var act = () => new Trainer<float>(network, new MeanSquaredError<float>(), new Sgd<float>(dense.Parameters, 0.1));
        act.Should().NotThrow();
    }

    [Fact]
    public void Optimizer_ALayersParameterAndTheNetworksViewOfIt_IsListedTwice()
    {
        var dense = new Dense<float>(2, 2, seed: 1);
        var network = new Sequential<float>([2], dense);
        var act = () => new Sgd<float>([dense.Weight, network.Parameters[0]], 0.1);
        act.Should().Throw<ArgumentException>().WithMessage("*listed twice*");
    }
}
