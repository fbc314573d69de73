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
        // The network first, on fresh buffers: a fused pass that left a layer's buffer unwritten would otherwise pass on
        // what the layers in turn had written there.
        network.ZeroGradients();
        var output = network.Forward(x, training: true).ToArray();
        var inputGradient = network.Backward(dy).ToArray();
        var gradients = network.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();

        network.ZeroGradients();
        var (expectedOutput, expected) = InTurn(network.Layers, x, dy);
        var expectedInputGradient = expected.ToArray();
        expectedInputGradient.Count(v => v != T.Zero).Should().BeGreaterThan(0, "some gradient passes the pair");

        output.Should().Equal(expectedOutput, "the network's output");
        inputGradient.Should().Equal(expectedInputGradient, "the input gradient");
        inputGradient.Select(T.IsNegative).Should().Equal(expectedInputGradient.Select(T.IsNegative), "the signs of zeros too");
        for (int i = 0; i < gradients.Length; i++)
            gradients[i].Should().Equal(network.Parameters[i].GradientSpan.ToArray(), $"parameter {network.Parameters[i].Name}'s gradient");
    }

    /// <summary>
    /// <paramref name="layers"/> trained one after the other, as a hand-written loop runs them: the output (copied before
    /// <paramref name="beforeBackward"/> may write to it, as a caller may) and the input gradient.
    /// </summary>
    public static (T[] Output, Tensor<T> InputGradient) InTurn<T>(IReadOnlyList<ILayer<T>> layers, Tensor<T> x, Tensor<T> dy,
        Action<Tensor<T>>? beforeBackward = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = x;
        foreach (var layer in layers) h = layer.Forward(h, training: true);
        var output = h.ToArray();
        beforeBackward?.Invoke(h);
        var g = dy;
        for (int i = layers.Count - 1; i >= 0; i--) g = layers[i].Backward(g);
        return (output, g);
    }

    /// <summary>
    /// A pair of image layers (an activation and a pool, each call of <paramref name="pair"/> a new one) checked twice, with a
    /// Flatten and a Dense of four after it: first on <paramref name="crafted"/> values, then after a convolution, on what it
    /// computes. <paramref name="outSize"/> is the pair's output side.
    /// </summary>
    public static void PairFirstAndAfterConvolution<T>(Func<ILayer<T>[]> pair, Tensor<T> crafted, int outSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = (int)crafted.Lengths[0], channels = (int)crafted.Lengths[1], size = (int)crafted.Lengths[2];
        ILayer<T>[] Head() => [new Flatten<T>(), new Dense<T>(channels * outSize * outSize, 4, seed: 9)];
        SameBitsAsTheLayersInTurn(new Sequential<T>([.. pair(), .. Head()]), crafted, TestTensors.Random<T>(13, batch, 4));
        SameBitsAsTheLayersInTurn(new Sequential<T>([new Conv2D<T>(channels, channels, 3, padding: 1, seed: 7), .. pair(), .. Head()]),
            TestTensors.Random<T>(12, batch, channels, size, size), TestTensors.Random<T>(13, batch, 4));
    }
}
