using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Sequential runs a batch normalisation followed by a ReLU as one pass (each core rectifies the planes it has just
/// normalised): the output, input gradient and parameter gradients are the same bits as the layers run one after the
/// other, in training and in inference, for planes, short planes (3×3 maps) and rows (BatchNorm1D), with the pair first
/// (BackwardToParameters), and where the pair is not fused (a pool after the ReLU applies it, the ReLU ends the network,
/// or a layer of the user's follows it).
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
    public void Rows_BatchNorm1DBeforeAnotherNormalisation_SameBitsAsTheLayersInTurn()
    {
        // Not a Dense after the ReLU (whose backward pass would apply the ReLU's derivative itself): the ReLU's own
        // backward pass reads the rectified rows it adopted.
        var network = new Sequential<float>(new Dense<float>(6, 20, seed: 1), new BatchNorm1D<float>(20), new ReLU<float>(),
            new BatchNorm1D<float>(20), new Dense<float>(20, 3, seed: 2));
        var x = TestTensors.Random<float>(3, 9, 6);
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, x, TestTensors.Random<float>(4, 9, 3));
        SameInferenceAsTheLayersInTurn(network, x);
    }

    [Fact]
    public void TheNormalisationFirst_BackwardToParameters_TheLayersGradients()
    {
        // The normalisation is the first learning layer: BackwardToParameters reaches it through the ReLU's backward pass,
        // which reads the rectified tensor it adopted.
        ILayer<float>[] Layers() => [new BatchNorm2D<float>(3), new ReLU<float>(), new Conv2D<float>(3, 2, 3, seed: 4)];
        var x = TestTensors.Random<float>(8, 4, 3, 6, 6);
        var dy = TestTensors.Random<float>(9, 4, 2, 4, 4);
        var network = new Sequential<float>(Layers());
        network.Forward(x, training: true);
        network.BackwardToParameters(dy);

        var inTurn = Layers();
        FusedPairCheck.InTurn(inTurn, x, dy);
        var expected = inTurn.SelectMany(layer => layer.Parameters).ToArray();
        network.Parameters.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
            network.Parameters[i].GradientSpan.ToArray().Should().Equal(expected[i].GradientSpan.ToArray(), $"parameter {network.Parameters[i].Name}'s gradient");
        expected[0].GradientSpan.ToArray().Count(v => v != 0).Should().BeGreaterThan(0, "γ's gradient is not all zeros");
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

    [Fact]
    public void AUsersLayerHandingItsInputOn_NotFused_TheCallersWritesStayOutOfTheGradient() =>
        SameBitsAsTheLayersInTurnAfterTheCallerWrites(() => [new BatchNorm2D<float>(3), new ReLU<float>(), new PassThrough()],
            TestTensors.Random<float>(1, 4, 3, 5, 5), TestTensors.Random<float>(2, 4, 3, 5, 5));

    [Fact]
    public void AUsersLayerChangingItsInputInPlace_NotFused_TheReluKeepsItsDerivative() =>
        SameBitsAsTheLayersInTurnAfterTheCallerWrites(
            () => [new BatchNorm2D<float>(3), new ReLU<float>(), new Sequential<float>(new ShiftInPlace(), new Conv2D<float>(3, 2, 3, seed: 4))],
            TestTensors.Random<float>(3, 4, 3, 5, 5), TestTensors.Random<float>(5, 4, 2, 3, 3));

    /// <summary>
    /// The network and its layers run in turn (fresh objects from <paramref name="layers"/> each), the caller filling the
    /// output with −1 between the forward and backward passes in both: the input gradient and γ's gradient agree bit for bit.
    /// </summary>
    private static void SameBitsAsTheLayersInTurnAfterTheCallerWrites(Func<ILayer<float>[]> layers, Tensor<float> x, Tensor<float> dy)
    {
        var network = new Sequential<float>(layers());
        network.Forward(x, training: true).Span().Fill(-1f);
        var inputGradient = network.Backward(dy).ToArray();
        var normGradient = network.Parameters[0].GradientSpan.ToArray();

        var inTurn = layers();
        var (_, g) = FusedPairCheck.InTurn(inTurn, x, dy, output => output.Span().Fill(-1f));
        g.ToArray().Count(v => v != 0).Should().BeGreaterThan(0, "some gradient passes the pair");

        inputGradient.Should().Equal(g.ToArray(), "the input gradient");
        normGradient.Should().Equal(inTurn[0].Parameters[0].GradientSpan.ToArray(), "γ's gradient");
    }

    /// <summary>A user's layer without parameters that hands its input on as its output, breaking the layer contract.</summary>
    private abstract class HandsItsInputOn : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters { get; } = [];
        public abstract Tensor<float> Forward(Tensor<float> input, bool training);
        public Tensor<float> Backward(Tensor<float> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;
        public LayerDescription Describe() => LayerDescription.Of(GetType().Name);
    }

    /// <summary>Returns its input as it is.</summary>
    private sealed class PassThrough : HandsItsInputOn
    {
        public override Tensor<float> Forward(Tensor<float> input, bool training) => input;
    }

    /// <summary>Shifts its input in place and returns it.</summary>
    private sealed class ShiftInPlace : HandsItsInputOn
    {
        public override Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var values = input.Span();
            for (int i = 0; i < values.Length; i++) values[i] -= 0.25f;
            return input;
        }
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
