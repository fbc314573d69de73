using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// In Predict, a Flatten followed by a Dense hands on its dense input itself instead of a flattened copy: the results must be
/// those of the copy, follow new values written into a reused input, and never let a layer that writes to its input reach
/// the caller's tensor.
/// </summary>
public class FlattenInferenceViewTests
{
    private static Sequential<float> Mlp() => Network.Sequential<float>([1, 28, 28]).Flatten().Dense(16).ReLU().Dense(10).Build(seed: 5);

    [Fact]
    public void Predict_SameTensorSeveralTimes_EqualsTheCopyingForward()
    {
        var network = Mlp();
        var batch = TestTensors.Random<float>(1, 8, 1, 28, 28);
        // The network's own Forward, outside Predict's inference copies.
        var expected = network.Forward(batch, training: false).ToArray();
        var output = new float[8 * 10];
        for (int call = 0; call < 4; call++)
        {
            network.Predict(batch, output);
            output.Should().Equal(expected, $"call {call}");
        }
    }

    [Fact]
    public void Predict_ReusedTensorWithNewValues_FollowsThem()
    {
        var network = Mlp();
        var values = TestTensors.Random<float>(2, 8, 1, 28, 28).ToArray();
        var tensor = Tensor.Create(values, [8, 1, 28, 28]);
        var output = new float[8 * 10];
        for (int call = 0; call < 3; call++) network.Predict(tensor, output);
        var before = output.ToArray();

        TestTensors.Random<float>(3, 8, 1, 28, 28).ToArray().CopyTo(values, 0);
        network.Predict(tensor, output);

        output.Should().NotEqual(before);
        output.Should().Equal(network.Predict(Tensor.Create(values.ToArray(), [8, 1, 28, 28])).ToArray(), "a fresh tensor of the same values");
    }

    [Fact]
    public void Predict_FlattenBeforeALayerThatWritesItsInput_LeavesTheCallersInputAlone()
    {
        var network = new Sequential<float>([1, 4, 4], new Flatten<float>(), new NegatesItsInput(), new Dense<float>(16, 3, seed: 1));
        var values = TestTensors.Random<float>(4, 2, 1, 4, 4).ToArray();
        var original = values.ToArray();
        var tensor = Tensor.Create(values, [2, 1, 4, 4]);
        var output = new float[2 * 3];
        for (int call = 0; call < 3; call++) network.Predict(tensor, output);
        values.Should().Equal(original);
    }

    [Fact]
    public void Predict_StridedInput_IsRefusedAsBefore()
    {
        var network = Mlp();
        // The left halves of wider images: rows 56 apart, not dense: refused with the advice to make it dense, never passed on.
        var wide = Tensor.Create(TestTensors.Random<float>(5, 4, 1, 28, 56).ToArray(), [4, 1, 28, 56]);
        var strided = wide.Slice(.., .., .., 0..28);
        var output = new float[4 * 10];
        var act = () => network.Predict(strided, output);
        act.Should().Throw<ArgumentException>().WithMessage("*ToDenseTensor*");
        network.Predict(strided.ToDenseTensor(), output);
        output.Should().Equal(network.Predict(Tensor.Create(strided.ToArray(), [4, 1, 28, 28])).ToArray());
    }

    /// <summary>A layer of a user's that negates its input in place and returns it (what the caller's tensor must never reach).</summary>
    private sealed class NegatesItsInput : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var span = input.Span();
            for (int i = 0; i < span.Length; i++) span[i] = -span[i];
            return input;
        }

        public Tensor<float> Backward(Tensor<float> outputGradient) => throw new NotSupportedException();

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new("NegatesItsInput", new Dictionary<string, double>());

        public ILayer<float>? CreateInferenceCopy() => new NegatesItsInput();
    }
}
