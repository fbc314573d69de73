using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training;

/// <summary>
/// A step that throws between its training Forward and its Backward abandons the pass: a network with a layer without
/// an inference copy must not keep refusing Predict for a Backward that will never come.
/// </summary>
public class AbandonedTrainingPassTests
{
    private static readonly Dataset<float> Data = SyntheticData.GaussianBlobs<float>(pointsPerClass: 8, classes: 2, seed: 1);

    [Theory]
    [InlineData("loss")]
    [InlineData("metric")]
    [InlineData("layer")]
    public void Predict_AfterAFitWhoseStepThrew_Answers(string thrower)
    {
        var twice = new Twice { ThrowInBackward = thrower == "layer" };
        var network = Network.Sequential<float>(2).Dense(4).Add((_, _) => twice).Dense(2).Build(seed: 1);
        ILoss<float> loss = thrower == "loss" ? new ThrowingBackward() : new SoftmaxCrossEntropy<float>();
        IMetric<float>[] metrics = thrower == "metric" ? [new ThrowingMetric()] : [];
        var trainer = new Trainer<float>(network, loss, new Sgd<float>(network.Parameters, 0.1));

        var fit = () => trainer.Fit(Data, new TrainingOptions { Epochs = 1, BatchSize = 4 }, metrics: metrics, cancellationToken: TestContext.Current.CancellationToken);

        fit.Should().Throw<InvalidOperationException>().WithMessage("thrown on purpose*");
        var predict = () => network.Predict(new float[] { 0.5f, -0.5f }.AsSpan());
        predict.Should().NotThrow();
    }

    /// <summary>y = 2x, keeping no inference copy of its own.</summary>
    private sealed class Twice : ILayer<float>
    {
        private float[] _output = [];
        private float[] _gradient = [];

        public bool ThrowInBackward { get; init; }

        public IReadOnlyList<Parameter<float>> Parameters => [];

        public Tensor<float> Forward(Tensor<float> input, bool training)
        {
            var x = input.ToArray();
            _output = x.Select(v => 2 * v).ToArray();
            return TestTensors.Create(_output, [.. input.Lengths.ToArray().Select(d => (int)d)]);
        }

        public Tensor<float> Backward(Tensor<float> outputGradient)
        {
            if (ThrowInBackward) throw new InvalidOperationException("thrown on purpose in Backward");
            _gradient = outputGradient.ToArray().Select(v => 2 * v).ToArray();
            return TestTensors.Create(_gradient, [.. outputGradient.Lengths.ToArray().Select(d => (int)d)]);
        }

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();

        public LayerDescription Describe() => LayerDescription.Of("Twice");
    }

    /// <summary>Softmax cross-entropy whose Backward throws.</summary>
    private sealed class ThrowingBackward : ILoss<float>
    {
        private readonly SoftmaxCrossEntropy<float> _loss = new();

        public float Forward(Tensor<float> output, Tensor<float> target) => _loss.Forward(output, target);

        public Tensor<float> Backward() => throw new InvalidOperationException("thrown on purpose in the loss's Backward");
    }

    private sealed class ThrowingMetric : IMetric<float>
    {
        public string Name => "throws";
        public bool HigherIsBetter => true;
        public IMetricAccumulator<float> CreateAccumulator() => new Accumulator();

        private sealed class Accumulator : IMetricAccumulator<float>
        {
            public void Reset() { }
            public void Add(ReadOnlySpan<float> output, ReadOnlySpan<float> target, int batchSize) => throw new InvalidOperationException("thrown on purpose in the metric");
            public double Result => 0;
        }
    }
}
