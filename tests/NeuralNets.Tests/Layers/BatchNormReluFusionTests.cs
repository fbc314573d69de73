using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Sequential runs a batch normalisation followed by a ReLU as one pass (each core rectifies the planes it has just
/// normalised): the output, input gradient and parameter gradients are the same bits as the layers run one after the
/// other, in training and in inference, for planes, short planes (3×3 maps) and rows (BatchNorm1D), and where the pair
/// is not fused (a pool after the ReLU applies it, or the ReLU ends the network).
/// </summary>
public class BatchNormReluFusionTests
{
    public static TheoryData<int> PlaneSizes() => new() { 8, 3, 17 };

    [Theory]
    [MemberData(nameof(PlaneSizes))]
    public void Float_PlanesBeforeAConvolution_SameBitsAsTheLayersInTurn(int size) => Planes<float>(size);

    [Theory]
    [MemberData(nameof(PlaneSizes))]
    public void Double_PlanesBeforeAConvolution_SameBitsAsTheLayersInTurn(int size) => Planes<double>(size);

    [Fact]
    public void Rows_BatchNorm1DBeforeADense_SameBitsAsTheLayersInTurn()
    {
        var network = new Sequential<float>(new Dense<float>(6, 20, seed: 1), new BatchNorm1D<float>(20), new ReLU<float>(), new Dense<float>(20, 3, seed: 2));
        var x = TestTensors.Random<float>(3, 9, 6);
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, x, TestTensors.Random<float>(4, 9, 3));
        SameInferenceAsTheLayersInTurn(network, x);
    }

    [Fact]
    public void PoolAfterTheRelu_TheLayersBits()
    {
        var network = new Sequential<float>(new Conv2D<float>(2, 4, 3, padding: 1, seed: 3), new BatchNorm2D<float>(4), new ReLU<float>(),
            new MaxPool2D<float>(2), new Flatten<float>(), new Dense<float>(4 * 4 * 4, 3, seed: 4));
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, TestTensors.Random<float>(5, 3, 2, 8, 8), TestTensors.Random<float>(6, 3, 3));
    }

    [Fact]
    public void ReluEndsTheNetwork_TheLayersBits()
    {
        var network = new Sequential<float>(new Conv2D<float>(2, 3, 3, padding: 1, seed: 3), new BatchNorm2D<float>(3), new ReLU<float>());
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, TestTensors.Random<float>(5, 2, 2, 6, 6), TestTensors.Random<float>(6, 2, 3, 6, 6));
    }

    [Fact]
    public void NaNInAChannel_PassesAsTheLayersPassIt()
    {
        var x = TestTensors.Random<float>(7, 2, 3, 8, 8);
        x.Span()[70] = float.NaN;   // the second channel of the first sample: that channel's statistics and outputs become NaN
        x.Span()[5] = -0f;
        var network = new Sequential<float>(new BatchNorm2D<float>(3), new ReLU<float>(), new Conv2D<float>(3, 2, 3, seed: 8),
            new Flatten<float>(), new Dense<float>(2 * 6 * 6, 3, seed: 9));
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, x, TestTensors.Random<float>(10, 2, 3));
    }

    private static void Planes<T>(int size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Enough channels and values for the planes to split across the team, as few as a 3×3 map's short planes.
        int channels = 6, batch = 5, outSize = size - 2;
        var network = new Sequential<T>(new Conv2D<T>(3, channels, 3, padding: 1, seed: 1), new BatchNorm2D<T>(channels), new ReLU<T>(),
            new Conv2D<T>(channels, 4, 3, seed: 2), new Flatten<T>(), new Dense<T>(4 * outSize * outSize, 3, seed: 3));
        var x = TestTensors.Random<T>(4, batch, 3, size, size);
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, x, TestTensors.Random<T>(5, batch, 3));
        SameInferenceAsTheLayersInTurn(network, x);
    }

    private static void SameInferenceAsTheLayersInTurn<T>(Sequential<T> network, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = network.Forward(x, training: false).ToArray();
        var h = x;
        foreach (var layer in network.Layers) h = layer.Forward(h, training: false);
        output.Should().Equal(h.ToArray(), "the network's inference output");
        network.Predict(x).ToArray().Should().Equal(h.ToArray(), "Predict's output");
    }
}
