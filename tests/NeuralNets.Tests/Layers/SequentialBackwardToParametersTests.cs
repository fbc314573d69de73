using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class SequentialBackwardToParametersTests
{
    [Fact]
    public void BackwardToParameters_DenseFirst_SameGradientsAsBackward()
    {
        var network = Network.Sequential<double>(7).Dense(5).Tanh().Dense(3).Build(seed: 3);
        SameGradientsAsBackward(network, TestTensors.Random<double>(4, 6, 7), TestTensors.Random<double>(5, 6, 3));
    }

    [Fact]
    public void BackwardToParameters_ActivationFirst_SameGradientsAsBackward()
    {
        var network = new Sequential<double>(new ReLU<double>(), new Dense<double>(4, 2, seed: 8));
        SameGradientsAsBackward(network, TestTensors.Random<double>(6, 3, 4), TestTensors.Random<double>(7, 3, 2));
    }

    /// <summary>The network's <c>BackwardToParameters</c> leaves the same parameter gradients as its <c>Backward</c>.</summary>
    internal static void SameGradientsAsBackward<T>(Sequential<T> network, Tensor<T> x, Tensor<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.ZeroGradients();
        network.Forward(x, training: true);
        network.Backward(dy);
        var expected = network.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();

        network.ZeroGradients();
        network.Forward(x, training: true);
        network.BackwardToParameters(dy);
        for (int i = 0; i < expected.Length; i++)
            network.Parameters[i].GradientSpan.ToArray().Should().Equal(expected[i], network.Parameters[i].Name);
    }
}
