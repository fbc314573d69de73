using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training.Callbacks;

/// <summary>A small real training run whose monitored figure is scripted, so that a callback's decisions can be worked out by hand.</summary>
internal sealed class ScriptedRun
{
    public ScriptedRun(int seed = 1)
    {
        Data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 8, seed: seed);
        Network = NeuralNets.Network.Sequential<double>(2).Dense(6).Tanh().Dense(3).Build(seed);
        Optimizer = new Sgd<double>(Network.Parameters, 0.1);
        Trainer = new Trainer<double>(Network, new SoftmaxCrossEntropy<double>(), Optimizer);
    }

    public Dataset<double> Data { get; }
    public Sequential<double> Network { get; }
    public Sgd<double> Optimizer { get; }
    public Trainer<double> Trainer { get; }

    /// <summary>Weights at the end of each epoch (index 0 = epoch 1).</summary>
    public List<double[][]> WeightsAfterEpoch { get; } = [];

    public TrainingHistory Fit(int epochs, double[] script, bool higherIsBetter, params ITrainingCallback<double>[] callbacks) =>
        Trainer.Fit(Data, new TrainingOptions { Epochs = epochs, BatchSize = 6, Seed = 2 }, cancellationToken: CancellationToken.None,
            metrics: [new Scripted(script, higherIsBetter)], callbacks: [new WeightRecorder(this), .. callbacks]);

    public double[][] Weights() => Network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();

    private sealed class WeightRecorder(ScriptedRun run) : ITrainingCallback<double>
    {
        public void OnEpochEnd(TrainingContext<double> context, EpochReport report) => run.WeightsAfterEpoch.Add(run.Weights());
    }

    /// <summary>A metric named "scripted" whose value at epoch e is script[e − 1].</summary>
    private sealed class Scripted(double[] script, bool higherIsBetter) : IMetric<double>
    {
        public string Name => "scripted";
        public bool HigherIsBetter => higherIsBetter;
        public IMetricAccumulator<double> CreateAccumulator() => new Reader(script);

        private sealed class Reader(double[] script) : IMetricAccumulator<double>
        {
            private int _epoch;
            public void Reset() => _epoch++;
            public void Add(ReadOnlySpan<double> output, ReadOnlySpan<double> target, int batchSize) { }
            public double Result => script[_epoch - 1];
        }
    }
}
