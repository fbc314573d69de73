using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// In a network's own passes (training too), a Flatten followed by a Dense hands its input on to the Dense as it is, and the
/// Dense gives its input gradient back in the input's shape: the same bits as the layers in turn, whatever comes before.
/// And <see cref="Sequential{T}.BackwardToParameters"/> runs nothing before the first layer with parameters but where a
/// layer there might do more than pass gradients on.
/// </summary>
public class FlattenIntoDenseTests
{
    [Fact]
    public void Float_FlattenFirst_SameBitsAsTheLayersInTurn() => FlattenFirst<float>();

    [Fact]
    public void Double_FlattenFirst_SameBitsAsTheLayersInTurn() => FlattenFirst<double>();

    [Fact]
    public void Float_FlattenAfterConvolutionAndPool_SameBitsAsTheLayersInTurn() => FlattenAfterConvolution<float>();

    [Fact]
    public void Double_FlattenAfterConvolutionAndPool_SameBitsAsTheLayersInTurn() => FlattenAfterConvolution<double>();

    private static void FlattenFirst<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new Sequential<T>(new Flatten<T>(), new Dense<T>(2 * 5 * 3, 6, seed: 1), new Tanh<T>(), new Dense<T>(6, 4, seed: 2));
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, TestTensors.Random<T>(3, 7, 2, 5, 3), TestTensors.Random<T>(4, 7, 4));
    }

    private static void FlattenAfterConvolution<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new Sequential<T>(new Conv2D<T>(2, 3, 3, padding: 1, seed: 5), new ReLU<T>(), new MaxPool2D<T>(2), new Flatten<T>(),
            new Dense<T>(3 * 4 * 4, 4, seed: 6), new ReLU<T>(), new Dense<T>(4, 4, seed: 7));
        FusedPairCheck.SameBitsAsTheLayersInTurn(network, TestTensors.Random<T>(8, 5, 2, 8, 8), TestTensors.Random<T>(9, 5, 4));
    }

    [Fact]
    public void Training_FlattenFirst_SameAsTheFlatNetworkAndInputGradientInTheInputsShape()
    {
        var images = new Sequential<double>(new Flatten<double>(), new Dense<double>(12, 5, seed: 3), new Sigmoid<double>(), new Dense<double>(5, 3, seed: 4));
        var rows = new Sequential<double>(new Dense<double>(12, 5, seed: 3), new Sigmoid<double>(), new Dense<double>(5, 3, seed: 4));
        var x = TestTensors.Random<double>(10, 6, 3, 2, 2);
        var flat = Tensor.Create(x.ToArray(), [6, 12]);
        var dy = TestTensors.Random<double>(11, 6, 3);

        images.Forward(x, training: true).ToArray().Should().Equal(rows.Forward(flat, training: true).ToArray());
        var imageGradient = images.Backward(dy);
        imageGradient.Lengths.ToArray().Should().Equal(new nint[] { 6, 3, 2, 2 }, "the input gradient has the input's shape");
        imageGradient.ToArray().Should().Equal(rows.Backward(dy).ToArray());
        for (int i = 0; i < rows.Parameters.Count; i++)
            images.Parameters[i].GradientSpan.ToArray().Should().Equal(rows.Parameters[i].GradientSpan.ToArray(), images.Parameters[i].Name);
    }

    [Fact]
    public void BackwardToParameters_FlattenFirst_SameGradientsAsBackward()
    {
        var network = Network.Sequential<float>(1, 6, 6).Flatten().Dense(8).ReLU().Dense(3).Build(seed: 2);
        SequentialBackwardToParametersTests.SameGradientsAsBackward(network, TestTensors.Random<float>(12, 5, 1, 6, 6), TestTensors.Random<float>(13, 5, 3));
    }

    [Fact]
    public void BackwardToParameters_FlattenFirst_TheFlattensInputGradientIsNeverComputed()
    {
        // A leading Flatten's backward pass would return the first Dense's input gradient; both are skipped, so the network's
        // input-gradient buffer (a full Backward's result) is not written by BackwardToParameters.
        var network = Network.Sequential<float>(1, 4, 4).Flatten().Dense(5).Dense(2).Build(seed: 3);
        var x = TestTensors.Random<float>(14, 3, 1, 4, 4);
        var dy = TestTensors.Random<float>(15, 3, 2);
        network.Forward(x, training: true);
        var inputGradient = network.Backward(dy);
        inputGradient.Span().Fill(42f);
        network.Forward(x, training: true);
        network.BackwardToParameters(dy);
        inputGradient.ToArray().Should().OnlyContain(v => v == 42f);
    }

    [Fact]
    public void FirstLearningLayer_SkipsOnlyTheLibrarysLayersWithoutParameters()
    {
        FirstLearning(new Flatten<float>(), new Dense<float>(4, 2, seed: 1)).Should().Be(1);
        FirstLearning(new ReLU<float>(), new MaxPool2D<float>(2), new Dropout<float>(0.5, seed: 1), new Flatten<float>(), new Dense<float>(4, 2, seed: 1))
            .Should().Be(4);
        FirstLearning(new Dense<float>(4, 2, seed: 1), new ReLU<float>()).Should().Be(0);
        FirstLearning(new Sequential<float>(new Flatten<float>(), new ReLU<float>()), new Dense<float>(4, 2, seed: 1)).Should().Be(1);
        FirstLearning(new CountsBackwardPasses(), new Dense<float>(4, 2, seed: 1)).Should().Be(0, "a user's layer may do more than it declares");
        FirstLearning(new Flatten<float>(), new Sequential<float>(new CountsBackwardPasses()), new Dense<float>(4, 2, seed: 1)).Should().Be(1);
        FirstLearning(new Flatten<float>(), new ReLU<float>()).Should().Be(2, "nothing to learn: nothing runs");
    }

    [Fact]
    public void BackwardToParameters_UsersLayerWithoutParametersFirst_StillRunsItsBackward()
    {
        var counter = new CountsBackwardPasses();
        var network = new Sequential<float>(new Flatten<float>(), counter, new Dense<float>(9, 2, seed: 4));
        network.Forward(TestTensors.Random<float>(16, 2, 1, 3, 3), training: true);
        network.BackwardToParameters(TestTensors.Random<float>(17, 2, 2));
        counter.BackwardPasses.Should().Be(1);
    }

    private static int FirstLearning(params ILayer<float>[] layers) => new Sequential<float>(layers).FirstLearningLayer;

    /// <summary>A user's layer without parameters that passes values and gradients on unchanged, counting its backward passes.</summary>
    private sealed class CountsBackwardPasses : ILayer<float>
    {
        public int BackwardPasses { get; private set; }

        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training) => input;

        public Tensor<float> Backward(Tensor<float> outputGradient)
        {
            BackwardPasses++;
            return outputGradient;
        }

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new("CountsBackwardPasses", new Dictionary<string, double>());

        public ILayer<float>? CreateInferenceCopy() => new CountsBackwardPasses();
    }
}
