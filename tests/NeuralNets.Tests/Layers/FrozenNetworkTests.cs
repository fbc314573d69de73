using NeuralNets.Kernels;
using NeuralNets.Layers;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A frozen network answers as its source did when it was frozen, bit for bit, on every overload and from many threads;
/// it keeps those answers while the source trains on; and it refuses what it cannot copy.
/// </summary>
public class FrozenNetworkTests
{
    private static Tensor<float> Batch(int samples, IReadOnlyList<int> shape, int seed)
    {
        var random = new Random(seed);
        int size = shape.Aggregate(1, (x, y) => x * y);
        var values = Enumerable.Range(0, samples * size).Select(_ => (float)random.NextDouble()).ToArray();
        return TensorMemory.Wrap(values, [samples, .. shape]);
    }

    private static Sequential<float> Mlp() => Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 3);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(65)]
    public void Predict_Mlp_SameBitsAsTheSource(int samples)
    {
        var network = Mlp();
        var batch = Batch(samples, [784], samples);
        var expected = network.Predict(batch).Span().ToArray();

        var frozen = network.Freeze();

        frozen.Predict(batch).Span().ToArray().Should().Equal(expected);
        var output = new float[expected.Length];
        frozen.Predict(batch, output);
        output.Should().Equal(expected);
        frozen.Predict(batch.Span()[..784]).Should().Equal(expected[..10]);
        frozen.PredictClass(batch).Should().Equal(network.PredictClass(batch));
        frozen.PredictProbabilities(batch).Span().ToArray().Should().Equal(network.PredictProbabilities(batch).Span().ToArray());
    }

    [Fact]
    public void Freeze_Mlp_DenseWeightsPackedWhereTheKernelsReadThem()
    {
        var frozen = Mlp().Freeze();

        // Both layers have at least eight outputs and one 256-bit step of inputs.
        frozen.Network.Layers.OfType<Dense<float>>().Select(d => d.HasPackedWeight).Should().AllBeEquivalentTo(GemmDot.PackingSupported);
    }

    [Fact]
    public void Predict_OddShapesInDouble_SameBitsAsTheSource()
    {
        // 13 inputs (a tail of k after the 256-bit steps), 21 and 9 outputs (columns past the groups of eight).
        var network = Network.Sequential<double>(13).Dense(21).ReLU().Dense(9).Tanh().Build(seed: 4);
        var random = new Random(2);
        var batch = TensorMemory.Wrap(Enumerable.Range(0, 19 * 13).Select(_ => random.NextDouble() - 0.5).ToArray(), [19, 13]);

        network.Freeze().Predict(batch).Span().ToArray().Should().Equal(network.Predict(batch).Span().ToArray());
    }

    [Fact]
    public void Predict_ConvNet_SameBitsAsTheSource()
    {
        var network = Network.Sequential<float>(1, 28, 28)
            .Conv2D(6, 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, 5).ReLU().MaxPool2D(2)
            .Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10).Build(seed: 5);
        var batch = Batch(9, [1, 28, 28], 6);

        network.Freeze().Predict(batch).Span().ToArray().Should().Equal(network.Predict(batch).Span().ToArray());
    }

    [Fact]
    public void Predict_BatchNormAndDropout_SameBitsAsTheSource()
    {
        // Running statistics moved by training passes: state outside the parameters, which the copy must carry.
        var network = Network.Sequential<float>(20).Dense(16).BatchNorm1D().GELU().Dropout(0.3).Dense(12).Build(seed: 8);
        for (int pass = 0; pass < 3; pass++)
        {
            network.Forward(Batch(32, [20], 20 + pass), training: true);
            network.Backward(TensorMemory.Wrap(new float[32 * 12], [32, 12]));
        }
        var batch = Batch(11, [20], 9);

        network.Freeze().Predict(batch).Span().ToArray().Should().Equal(network.Predict(batch).Span().ToArray());
    }

    [Fact]
    public void Predict_NestedNetworks_SameBitsAsTheSourceAndInnerDenseWeightsPacked()
    {
        var block = new Sequential<float>([40], new Dense<float>(40, 24, seed: 1), new ReLU<float>(), new Dense<float>(24, 16, seed: 2));
        var deeper = new Sequential<float>(new Sequential<float>(new Tanh<float>(), new Dense<float>(16, 9, seed: 3)), new Sigmoid<float>());
        var network = new Sequential<float>([40], block, deeper, new Dense<float>(9, 3, seed: 4));
        var batch = Batch(13, [40], 11);

        var frozen = network.Freeze();

        frozen.Predict(batch).Span().ToArray().Should().Equal(network.Predict(batch).Span().ToArray());
        var innerBlock = (Sequential<float>)frozen.Network.Layers[0];
        innerBlock.Layers.OfType<Dense<float>>().Select(d => d.HasPackedWeight).Should().AllBeEquivalentTo(GemmDot.PackingSupported);
    }

    [Fact]
    public void Predict_AfterTheSourceChanges_KeepsTheFrozenAnswers()
    {
        var network = Mlp();
        var batch = Batch(16, [784], 7);
        var before = network.Predict(batch).Span().ToArray();
        var frozen = network.Freeze();

        network.Parameters[0].ValueSpan[5] += 1;
        network.Parameters[2].ValueSpan.Fill(0.25f);

        network.Predict(batch).Span().ToArray().Should().NotEqual(before, "the source's weights changed");
        frozen.Predict(batch).Span().ToArray().Should().Equal(before);
    }

    [Fact]
    public void Predict_FromManyThreads_EveryAnswerTheSerialOne()
    {
        var network = Mlp();
        var frozen = network.Freeze();
        var batches = Enumerable.Range(0, 4).Select(i => Batch(1 + 21 * i, [784], 10 + i)).ToArray();
        var expected = batches.Select(b => network.Predict(b).Span().ToArray()).ToArray();
        int wrong = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int call = 0; call < 40; call++)
            {
                int which = (thread + call) % batches.Length;
                if (!frozen.Predict(batches[which]).Span().SequenceEqual(expected[which])) Interlocked.Increment(ref wrong);
            }
        });

        wrong.Should().Be(0);
    }

    [Fact]
    public void Freeze_Describes_ShapesAndLayersOfTheSource()
    {
        var network = Mlp();

        var frozen = network.Freeze();

        frozen.InputShape.Should().Equal(784);
        frozen.OutputShape.Should().Equal(10);
        frozen.DescribeLayers().Select(d => d.ToString()).Should().Equal(network.DescribeLayers().Select(d => d.ToString()));
        frozen.ToString().Should().StartWith("Frozen ");
    }

    [Fact]
    public void Freeze_DuringAnOptimizerStep_RefusedRatherThanCopyingHalfUpdatedWeights()
    {
        var network = Mlp();
        network.BeginTrainingStep();

        var act = () => network.Freeze();

        act.Should().Throw<InvalidOperationException>().WithMessage("Freeze overlapped an optimizer step*Freeze between training steps.");
        network.EndTrainingStep();
        network.Freeze().Predict(Batch(2, [784], 1)).Span().ToArray().Should().Equal(network.Predict(Batch(2, [784], 1)).Span().ToArray());
    }

    [Fact]
    public void Freeze_NoInputShape_RefusedNamingIt()
    {
        var network = new Sequential<float>(new Dense<float>(4, 2, seed: 1));

        var act = () => network.Freeze();

        act.Should().Throw<ArgumentException>().WithMessage("*input shape can be frozen*");
    }

    [Fact]
    public void Freeze_UnregisteredCustomLayer_RefusedSayingWhy()
    {
        var network = new Sequential<float>([3], new Dense<float>(3, 3, seed: 1), new Twice());

        var act = () => network.Freeze();

        act.Should().Throw<ArgumentException>().WithMessage("The network cannot be frozen, because it is copied through its saved form:*");
    }

    // A layer of the user's, with no LayerKind registered.
    private sealed class Twice : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => [];
        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var values = input.Span().ToArray();
            for (int i = 0; i < values.Length; i++) values[i] *= 2;
            return TensorMemory.Wrap(values, input.Shape());
        }
        public Tensor<float> Backward(Tensor<float> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;
        public LayerDescription Describe() => new("Twice", new Dictionary<string, double>());
        public ILayer<float>? CreateInferenceCopy() => this;
    }
}
