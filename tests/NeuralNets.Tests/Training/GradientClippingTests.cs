using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training;

public class GradientClippingTests
{
    private static Parameter<double>[] WithGradients(double[] first, double[] second)
    {
        var a = new Parameter<double>("a", first.Length);
        var b = new Parameter<double>("b", second.Length);
        first.CopyTo(a.GradientSpan);
        second.CopyTo(b.GradientSpan);
        return [a, b];
    }

    [Fact]
    public void ClipByGlobalNorm_AboveTheLimit_ScalesEveryGradientByMaxOverNorm()
    {
        // ‖(3, 4, 12)‖ = 13; the factor is 6.5 / (13 + 1e−6), PyTorch's.
        var parameters = WithGradients([3, 4], [12]);

        double norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 6.5);

        norm.Should().Be(13);
        double factor = 6.5 / (13 + 1e-6);
        parameters[0].GradientSpan.ToArray().Should().Equal(3 * factor, 4 * factor);
        parameters[1].GradientSpan.ToArray().Should().Equal(12 * factor);
    }

    [Fact]
    public void ClipByGlobalNorm_BelowTheLimit_LeavesTheGradientsBitForBit()
    {
        var parameters = WithGradients([0.1, -0.2], [0.3]);

        GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 1).Should().BeApproximately(Math.Sqrt(0.14), 1e-16);

        parameters[0].GradientSpan.ToArray().Should().Equal(0.1, -0.2);
        parameters[1].GradientSpan.ToArray().Should().Equal(0.3);
    }

    [Fact]
    public void ClipByValue_ClampsEachElement()
    {
        var parameters = WithGradients([-3, 0.5], [2, -0.25]);

        GradientClipping.ClipByValue(parameters, clipValue: 1);

        parameters[0].GradientSpan.ToArray().Should().Equal(-1, 0.5);
        parameters[1].GradientSpan.ToArray().Should().Equal(1, -0.25);
    }

    [Fact]
    public void Fit_MaxGradientNorm_ReportsTheNormBeforeClippingAndStepsWithTheClippedGradient()
    {
        // One epoch of one batch: the report's norm and the weights after the step equal a hand-written step.
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 5, seed: 3);
        var fitted = Network.Sequential<double>(2).Dense(4).Tanh().Dense(3).Build(seed: 4);
        var byHand = Network.Sequential<double>(2).Dense(4).Tanh().Dense(3).Build(seed: 4);

        var history = new Trainer<double>(fitted, new SoftmaxCrossEntropy<double>(), new Sgd<double>(fitted.Parameters, 0.5))
            .Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 15, Shuffle = false, MaxGradientNorm = 0.05 }, cancellationToken: CancellationToken.None);

        var loss = new SoftmaxCrossEntropy<double>();
        byHand.ZeroGradients();
        loss.Forward(byHand.Forward(data.Features, training: true), data.Targets);
        byHand.Backward(loss.Backward());
        double norm = GradientClipping.GlobalNorm(byHand.Parameters);
        norm.Should().BeGreaterThan(0.05, "the test needs a gradient the limit clips");
        double factor = 0.05 / (norm + 1e-6);
        history.Last!.GradientNorm.Should().Be(norm);
        history.Last.MaxGradientNorm.Should().Be(norm);
        for (int i = 0; i < byHand.Parameters.Count; i++)
        {
            var w = byHand.Parameters[i].ValueSpan.ToArray();
            var g = byHand.Parameters[i].GradientSpan.ToArray();
            fitted.Parameters[i].ValueSpan.ToArray().Should().Equal(w.Select((v, k) => v - 0.5 * (g[k] * factor)));
        }
    }

    [Fact]
    public void Fit_WithoutClipping_ReportsNoNorm()
    {
        var run = new Callbacks.ScriptedRun();
        run.Fit(epochs: 1, script: [1], higherIsBetter: false).Last!.GradientNorm.Should().BeNull();
    }

    [Fact]
    public void Fit_ClippingOneOrManyThreads_GivesBitIdenticalWeights()
    {
        float[][] Train(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 200, seed: 1);
                var network = Network.Sequential<float>(2).Dense(256).ReLU().Dense(256).ReLU().Dense(2).Build(seed: 2);
                new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, 0.01))
                    .Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 64, MaxGradientNorm = 0.5, GradientClipValue = 0.05 }, cancellationToken: CancellationToken.None);
                return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }

        Train(1).Should().BeEquivalentTo(Train(Parallelism.DefaultMaxThreads), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_ClippingMetricsCallbacksAndBatchProgress_AllocateNothingPerStep()
    {
        // As TrainerDivergenceTests: per-run and per-epoch allocations cancel out between 1 and 3 epochs, and what is
        // left of (32 − 4) steps per epoch must be 0 bytes.
        var data = Dataset<float>.FromLabels(TestTensors.Random<float>(7, 64, 20), Enumerable.Range(0, 64).Select(i => i % 4).ToArray(), 4);
        var network = Network.Sequential<float>(20).Dense(16).ReLU().Dense(4).Build(seed: 8);
        var optimizer = new Adam<float>(network.Parameters, 1e-3);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer);
        var progress = new SynchronousProgress<BatchReport>(_ => { });
        ITrainingCallback<float>[] callbacks = [new EarlyStopping<float>("loss", patience: 100), new ReduceLearningRateOnPlateau<float>(optimizer, "accuracy")];
        IMetric<float>[] metrics = [new Accuracy<float>(), new TopKAccuracy<float>(2)];
        long PerTwoEpochs(int batchSize)
        {
            long Allocated(int epochs)
            {
                var options = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, MaxGradientNorm = 1, GradientClipValue = 0.5 };
                void Run() => trainer.Fit(data, options, cancellationToken: CancellationToken.None, metrics: metrics, callbacks: callbacks, batchProgress: progress);
                Run();
                return ThreadAllocation.LeastOf(Run);
            }
            return Allocated(3) - Allocated(1);
        }

        PerTwoEpochs(batchSize: 2).Should().Be(PerTwoEpochs(batchSize: 16));
    }
}
