using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Testing.Contract;

namespace NeuralNets.Testing.Tests.Diagnostics;

/// <summary>The bounds GradientCheck's remarks state for its default ε, measured on correct layers and networks.</summary>
public class GradientCheckEpsilonTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Layer_CorrectLayersAtDefaultEpsilon_StayBelow1e7(int seed)
    {
        ILayer<double>[] layers = [new Dense<double>(5, 4, seed), new Sigmoid<double>(), new Tanh<double>(), new Softmax<double>(), new Conv2D<double>(2, 3, (3, 3), new Random(seed), (1, 1), (1, 1))];
        foreach (var layer in layers)
        {
            int[] shape = layer is Conv2D<double> ? [2, 2, 5, 5] : [3, 5];

            var result = GradientCheck.Layer(layer, ContractTensors.Random(seed, shape), seed);

            result.MaxRelativeError.Should().BeLessThan(1e-7, $"{layer}: {result}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Network_CorrectNetworksAtDefaultEpsilon_StayBelow2e6(int seed)
    {
        foreach (var activation in new[] { "tanh", "sigmoid" })
        {
            var builder = Network.Sequential<double>(6).Dense(16);
            var network = (activation == "tanh" ? builder.Tanh() : builder.Sigmoid()).Dense(4).Build(seed);

            var result = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), ContractTensors.Random(seed, [5, 6]), ContractTensors.Create([0, 1, 2, 3, 1], [5]));

            result.MaxRelativeError.Should().BeLessThan(2e-6, $"{activation}: {result}");
        }
    }
}
