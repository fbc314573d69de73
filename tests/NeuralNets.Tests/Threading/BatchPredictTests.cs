using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Threading;

/// <summary>
/// Predict on a batch splits its products by samples across the cores (training splits the dense layers by columns):
/// the batch's result must be the same bit for bit whatever the thread count, and the same as predicting each sample
/// alone. Networks cover every layer the library has.
/// </summary>
[Collection(ProcessWideMeasurement.Name)] // they change the thread count: no other test runs meanwhile
public class BatchPredictTests
{
    private static Sequential<T> Cnn<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>(2, 12, 12)
            .Conv2D(4, kernel: 3, padding: 1).BatchNorm2D().ReLU().MaxPool2D(2)
            .ConvTranspose2D(3, kernel: 2, stride: 2).ELU().AvgPool2D(2)
            .Conv2D(5, (3, 2), stride: (1, 2)).GELU().GlobalAvgPool2D()
            .Flatten().Unflatten(1, [5, 1, 1]).Flatten()
            .Dense(16).BatchNorm1D().SiLU().Dropout(0.4).Dense(12).LeakyReLU(0.1).Dense(9).Softplus().Dense(7).Tanh().Dense(6).Sigmoid().Dense(5).LogSoftmax().Dense(6).ReLU6().Dense(6).Hardswish().Dense(5).Hardsigmoid().Dense(4).Softmax()
            .Build(seed: 11);

    private static Sequential<T> Mlp<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>(1, 28, 28).Flatten().Dense(128).ReLU().Dense(10).Build(seed: 3);

    /// <summary>Moves the batch-norm layers' running statistics off their defaults (zeros and ones), so that inference uses real ones.</summary>
    private static Sequential<T> WithRunningStatistics<T>(Sequential<T> network, Tensor<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.Forward(batch, training: true);
        network.Forward(batch, training: true);
        return network;
    }

    private static T[] PredictWith<T>(int maxThreads, Func<Tensor<T>> predict)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            return predict().ToArray();
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    private static void SameOnEveryThreadCountAndAlone<T>(Sequential<T> network, int batch, int sampleLength) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = TestTensors.Random<T>(batch, [batch, .. network.InputShape!]);
        var expected = PredictWith(1, () => network.Predict(input));
        foreach (int threads in new[] { 2, 3, 5, 16 })
            PredictWith(threads, () => network.Predict(input)).Should().Equal(expected, $"batch {batch} on {threads} threads");
        var values = input.ToArray();
        int outputLength = expected.Length / batch;
        for (int sample = 0; sample < batch; sample++)
            network.Predict(values.AsSpan(sample * sampleLength, sampleLength)).Should()
                .Equal(expected.AsSpan(sample * outputLength, outputLength).ToArray(), $"sample {sample} of {batch} predicted alone");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(67)]
    public void Predict_CnnWithEveryLayerKind_SameBitsOnEveryThreadCountAndForEachSampleAlone(int batch)
    {
        var floats = WithRunningStatistics(Cnn<float>(), TestTensors.Random<float>(99, 32, 2, 12, 12));
        SameOnEveryThreadCountAndAlone(floats, batch, 2 * 12 * 12);
        SameOnEveryThreadCountAndAlone(WithRunningStatistics(Cnn<double>(), TestTensors.Random<double>(99, 32, 2, 12, 12)), batch, 2 * 12 * 12);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(130)]
    public void Predict_MlpBatch_SameBitsOnEveryThreadCountAndForEachSampleAlone(int batch)
    {
        SameOnEveryThreadCountAndAlone(Mlp<float>(), batch, 784);
        SameOnEveryThreadCountAndAlone(Mlp<double>(), batch, 784);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(75)]
    public void Predict_LeNetBatch_SameBitsOnEveryThreadCountAndForEachSampleAlone(int batch)
    {
        // The LeNet of the ONNX Runtime race: both convolutions and all three dense layers split their work across the cores.
        var network = Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2).Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10).Build(seed: 4);
        SameOnEveryThreadCountAndAlone(network, batch, 784);
    }

    [Fact]
    public void Predict_NetworkWithALayerThatMixesSamples_SameOnEveryThreadCount()
    {
        // A layer written outside the library may mix the samples of a batch: it must see the whole batch whatever the thread count.
        var network = new Sequential<float>([784], new Dense<float>(784, 128, seed: 2), new MinusBatchMean());
        var batch = TestTensors.Random<float>(5, 64, 784);
        var oneThread = PredictWith(1, () => network.Predict(batch));
        PredictWith(2, () => network.Predict(batch)).Should().Equal(oneThread);
        var output = new float[oneThread.Length];
        try
        {
            Parallelism.MaxThreads = 2;
            network.Predict(batch, output);
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
        output.Should().Equal(oneThread);
    }

    /// <summary>Subtracts the batch's mean of each feature: a sample's output depends on the rest of its batch.</summary>
    private sealed class MinusBatchMean : ILayer<float>
    {
        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var x = input.ToArray();
            int batch = (int)input.Lengths[0], features = x.Length / batch;
            var y = new float[x.Length];
            for (int f = 0; f < features; f++)
            {
                float mean = 0;
                for (int n = 0; n < batch; n++) mean += x[n * features + f];
                mean /= batch;
                for (int n = 0; n < batch; n++) y[n * features + f] = x[n * features + f] - mean;
            }
            return TestTensors.Create(y, batch, features);
        }

        public Tensor<float> Backward(Tensor<float> outputGradient) => throw new NotSupportedException();

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new("MinusBatchMean", new Dictionary<string, double>());

        public ILayer<float>? CreateInferenceCopy() => new MinusBatchMean();
    }

    [Fact]
    public void Predict_OnASliceOfABatch_PredictsTheSlicesRows()
    {
        var network = Mlp<float>();
        var batch = TestTensors.Random<float>(7, 48, 1, 28, 28);
        var whole = network.Predict(batch).ToArray();
        var rows = network.Predict(batch.Slice(new NRange(16, 48), NRange.All, NRange.All, NRange.All)).ToArray();
        rows.Should().Equal(whole[(16 * 10)..]);
    }

    [Fact]
    public void PredictIntoSpan_WrongLength_NamesBothLengths()
    {
        var network = Mlp<float>();
        var batch = TestTensors.Random<float>(8, 3, 1, 28, 28);
        var tooShort = () => network.Predict(batch, new float[29]);
        tooShort.Should().Throw<ArgumentException>().WithMessage("*29 values*batch of 3 has 30*");
        var wrongShape = () => network.Predict(TestTensors.Random<float>(8, 3, 784), new float[30]);
        wrongShape.Should().Throw<ShapeMismatchException>();
        var shapeless = new Sequential<float>(new Dense<float>(4, 2, seed: 1));
        var scalar = () => shapeless.Predict(Tensor.Create(new float[] { 1 }, ReadOnlySpan<nint>.Empty), new float[2]);
        scalar.Should().Throw<ShapeMismatchException>();
        var output = new float[30];
        network.Predict(batch, output);
        output.Should().Equal(network.Predict(batch).ToArray());
    }

    [Fact]
    public void Span_OfWholeRowsOfATensorWithALengthOneDimension_IsTheirMemory()
    {
        // Slicing rows of [N, 1, H, W] gives the length-1 dimension stride 0, which IsDense rejects; the rows are still contiguous.
        var values = Enumerable.Range(0, 4 * 1 * 2 * 3).Select(i => (float)i).ToArray();
        var rows = Tensor.Create(values, [4, 1, 2, 3]).Slice(new NRange(1, 3), NRange.All, NRange.All, NRange.All);
        rows.Span().ToArray().Should().Equal(values[6..18]);
        // A slice that IsDense already accepts starts where the slice starts, not where the array does.
        Tensor.Create(values, [4, 6]).Slice(new NRange(2, 4), NRange.All).Span().ToArray().Should().Equal(values[12..24]);
        var strided = Tensor.Create(values, [4, 6]).Slice(NRange.All, new NRange(0, 3));
        ((Action)(() => strided.Span())).Should().Throw<ArgumentException>().WithMessage("*dense*");
    }
}
