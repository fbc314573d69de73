using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training;

/// <summary>Training and evaluation that ask the network, the loss and the metrics only through their interfaces.</summary>
public class EvaluatorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A user's own container: it forwards to a network, and implements nothing but <see cref="ILayer{T}"/>.</summary>
    private sealed class Wrapper(ILayer<double> inner) : ILayer<double>
    {
        public IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;
        public Tensor<double> Forward(Tensor<double> input, bool training) => inner.Forward(input, training);
        public Tensor<double> Backward(Tensor<double> outputGradient) => inner.Backward(outputGradient);
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inner.OutputShape(inputShape);
        public LayerDescription Describe() => LayerDescription.Of("Wrapper");
    }

    /// <summary>A user's own loss: ½·mean of squared differences per sample, over one-hot targets.</summary>
    private sealed class HalfSquaredError : ILoss<double>
    {
        private double[] _difference = [];
        private nint[] _shape = [];

        public double Forward(Tensor<double> output, Tensor<double> target)
        {
            var y = output.ToArray();
            var t = target.ToArray();
            _shape = output.Lengths.ToArray();
            _difference = y.Select((v, i) => v - t[i]).ToArray();
            return 0.5 * _difference.Sum(d => d * d) / _shape[0];
        }

        public Tensor<double> Backward() => Tensor.Create(_difference.Select(d => d / _shape[0]).ToArray(), _shape);
    }

    /// <summary>A user's own metric: the mean of the outputs.</summary>
    private sealed class MeanOutput : IMetric<double>
    {
        public string Name => "mean_output";
        public bool HigherIsBetter => false;
        public IMetricAccumulator<double> CreateAccumulator() => new Sum();

        private sealed class Sum : IMetricAccumulator<double>
        {
            private double _sum;
            private long _count;
            public void Reset() => (_sum, _count) = (0, 0);
            public void Add(ReadOnlySpan<double> output, ReadOnlySpan<double> target, int batchSize)
            {
                foreach (double o in output) _sum += o;
                _count += output.Length;
            }
            public double Result => _sum / _count;
        }
    }

    private static Sequential<double> Blobs(int seed) => Network.Sequential<double>(2).Dense(8).Tanh().Dense(3).Build(seed);

    [Fact]
    public void Fit_UserContainer_TrainsBitForBitLikeTheNetworkItWraps()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 20, seed: 1);
        var plain = Blobs(seed: 2);
        var wrapped = Blobs(seed: 2);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 8, Seed = 3 };

        var plainHistory = new Trainer<double>(plain, new SoftmaxCrossEntropy<double>(), new Adam<double>(plain.Parameters, 0.01)).Fit(data, options, cancellationToken: None);
        var wrappedHistory = new Trainer<double>(new Wrapper(wrapped), new SoftmaxCrossEntropy<double>(), new Adam<double>(wrapped.Parameters, 0.01)).Fit(data, options, cancellationToken: None);

        for (int i = 0; i < plain.Parameters.Count; i++)
            wrapped.Parameters[i].ValueSpan.ToArray().Should().Equal(plain.Parameters[i].ValueSpan.ToArray());
        wrappedHistory.Epochs.Select(e => e.TrainAccuracy).Should().Equal(plainHistory.Epochs.Select(e => e.TrainAccuracy)).And.NotContainNulls();
    }

    [Fact]
    public void Fit_UserLossAndMetricOverOneHotTargets_ReportsBothUnderTheirNames()
    {
        var blobs = SyntheticData.GaussianBlobs<double>(pointsPerClass: 30, seed: 4);
        var labels = blobs.Targets.ToArray();
        var oneHot = labels.Select(l => Enumerable.Range(0, 3).Select(c => c == l ? 1.0 : 0.0).ToArray()).ToArray();
        var features = Enumerable.Range(0, blobs.Count).Select(i => blobs.Features.ToArray().AsSpan(2 * i, 2).ToArray()).ToArray();
        var data = Dataset<double>.FromArrays(features, oneHot);
        var network = Blobs(seed: 5);
        var trainer = new Trainer<double>(network, new HalfSquaredError(), new Sgd<double>(network.Parameters, 0.2));

        var history = trainer.Fit(data, new TrainingOptions { Epochs = 30, BatchSize = 10, Seed = 1 }, validation: data,
            cancellationToken: None, metrics: [new Accuracy<double>(), new MeanOutput()]);

        var last = history.Last!;
        last.Metrics.Select(m => m.Name).Should().Equal("accuracy", "mean_output");
        last.ValidationAccuracy.Should().BeGreaterThan(0.9, "three well-separated blobs");
        last.TryGetValue("val_mean_output", out double mean, out bool higherIsBetter).Should().BeTrue();
        mean.Should().BeApproximately(network.Predict(data.Features).ToArray().Average(), 1e-12);
        higherIsBetter.Should().BeFalse();
        last.ToString().Should().Contain("  accuracy ").And.Contain("  val_mean_output ");
    }

    [Fact]
    public void Evaluate_WithoutOptimizer_EqualsTheLossOfOnePassAndTheHandCountedAccuracy()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 25, seed: 6);
        var network = Blobs(seed: 7);
        var loss = new SoftmaxCrossEntropy<double>();

        var result = network.Evaluate(data, loss, batchSize: 16);

        var logits = network.Predict(data.Features);
        result.Loss.Should().BeApproximately(new SoftmaxCrossEntropy<double>().Forward(logits, data.Targets), 1e-12);
        var values = logits.ToArray();
        var labels = data.Targets.ToArray();
        int correct = Enumerable.Range(0, data.Count).Count(n => TensorPrimitives.IndexOfMax<double>(values.AsSpan(3 * n, 3)) == (int)labels[n]);
        result.Accuracy.Should().Be((double)correct / data.Count);
        network.Evaluate(data, loss, metrics: []).Metrics.Should().BeEmpty("an empty list asks for no metrics");
    }

    [Fact]
    public void Fit_SingleLogitWithAccuracy_ReportsBinaryAccuracy()
    {
        var circles = SyntheticData.ConcentricCircles<double>(pointsPerClass: 50, seed: 2);
        var data = new Dataset<double>(circles.Features, Tensor.Create(circles.Targets.ToArray(), [circles.Count, 1]));
        var network = Network.Sequential<double>(2).Dense(16).Tanh().Dense(1).Build(seed: 3);
        var trainer = new Trainer<double>(network, new BinaryCrossEntropyWithLogits<double>(), new Adam<double>(network.Parameters, 0.05));

        trainer.Fit(data, new TrainingOptions { Epochs = 60, BatchSize = 20 }, cancellationToken: None, metrics: [new Accuracy<double>()]);

        trainer.Evaluate(data).Accuracy.Should().BeNull("a set without class labels gets no metric unless asked");
        trainer.Evaluate(data, [new Accuracy<double>()]).Accuracy.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Fit_TwoMetricsWithOneName_ThrowsNamingIt()
    {
        var network = Blobs(seed: 1);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));

        var act = () => trainer.Fit(SyntheticData.GaussianBlobs<double>(4, seed: 1), cancellationToken: None, metrics: [new Accuracy<double>(), new Accuracy<double>(0.5)]);

        act.Should().Throw<ArgumentException>().WithMessage("Metrics 0 and 1 are both named 'accuracy'*");
    }
}
