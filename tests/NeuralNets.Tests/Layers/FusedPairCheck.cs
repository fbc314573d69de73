using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A network whose Sequential runs a pair of layers as one pass gives the same bits as its layers run one after the other,
/// as a hand-written loop would run them: output, input gradient (signs of zeros too) and every parameter gradient.
/// </summary>
internal static class FusedPairCheck
{
    public static void SameBitsAsTheLayersInTurn<T>(Sequential<T> network, Tensor<T> x, Tensor<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.ZeroGradients();
        var h = x;
        foreach (var layer in network.Layers) h = layer.Forward(h, training: true);
        var expectedOutput = h.ToArray();
        var g = dy;
        for (int i = network.Layers.Count - 1; i >= 0; i--) g = network.Layers[i].Backward(g);
        var expectedInputGradient = g.ToArray();
        var expectedGradients = network.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();
        expectedInputGradient.Count(v => v != T.Zero).Should().BeGreaterThan(0, "some gradient passes the pair");

        network.ZeroGradients();
        network.Forward(x, training: true).ToArray().Should().Equal(expectedOutput, "the network's output");
        var inputGradient = network.Backward(dy).ToArray();
        inputGradient.Should().Equal(expectedInputGradient, "the input gradient");
        inputGradient.Select(T.IsNegative).Should().Equal(expectedInputGradient.Select(T.IsNegative), "the signs of zeros too");
        for (int i = 0; i < expectedGradients.Length; i++)
            network.Parameters[i].GradientSpan.ToArray().Should().Equal(expectedGradients[i], $"parameter {network.Parameters[i].Name}'s gradient");
    }
}
