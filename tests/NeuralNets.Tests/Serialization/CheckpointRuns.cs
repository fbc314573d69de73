using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// Training set-ups built afresh on every call, as a user who resumes builds them: the same network from the same seed,
/// a new optimizer over it, and options whose schedules are bound to that optimizer.
/// </summary>
internal sealed record CheckpointRuns(
    string Name, Func<Sequential<float>> Network, Func<Sequential<float>, IOptimizer<float>> Optimizer, Func<IOptimizer<float>, TrainingOptions> Options,
    Func<ILoss<float>>? Loss = null)
{
    public static readonly Dataset<float> Train = SyntheticData.GaussianBlobs<float>(pointsPerClass: 30, seed: 4);
    public static readonly Dataset<float> Validation = SyntheticData.GaussianBlobs<float>(pointsPerClass: 10, seed: 5);

    public static readonly CheckpointRuns[] All =
    [
        new("sgd",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).Tanh().Dense(3).Build(seed: 1),
            n => new Sgd<float>(n.Parameters, 0.1),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 3 }),
        new("adam",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).ReLU().Dense(3).Build(seed: 2),
            n => new Adam<float>(n.Parameters, 0.01),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 3 }),
        new("dropout, adam, per-epoch schedule",
            () => NeuralNets.Network.Sequential<float>(2).Dense(16).ReLU().Dropout(0.3).Dense(16).ReLU().Dropout(0.2).Dense(3).Build(seed: 3),
            n => new Adam<float>(n.Parameters, 0.02, amsgrad: true),
            o => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 7, OnEpochStart = new StepDecay(0.02, stepSize: 1, gamma: 0.5).ApplyTo(o) }),
        new("nested dropout, momentum, per-step warm-up, clipping",
            () => NeuralNets.Network.Sequential<float>(2).Dense(10).ReLU()
                .Add((_, random) => new Sequential<float>(new Dropout<float>(0.25, random.Next()), new Dense<float>(10, 10, random.Next()), new ReLU<float>()))
                .Dense(3).Build(seed: 4),
            n => new Momentum<float>(n.Parameters, 0.05),
            o => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 9, MaxGradientNorm = 1, OnStepStart = new LinearWarmup(0.05, warmupSteps: 10).ApplyTo(o) }),
        new("adversarial training, dropout, adam",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).ReLU().Dropout(0.2).Dense(3).Build(seed: 5),
            n => new Adam<float>(n.Parameters, 0.01),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 3, Adversarial = new AdversarialTraining { Epsilon = 0.2, Fraction = 0.5, Min = -10, Max = 10 } }),
        // The running statistics (and, for the cumulative average, the batch count) decide the validation figures.
        new("batch norms (cumulative without affine, momentum), adam",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).BatchNorm1D(momentum: null, affine: false).ReLU().Dense(12).BatchNorm1D().Tanh().Dense(3).Build(seed: 5),
            n => new Adam<float>(n.Parameters, 0.01),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 11 }),
        // Full batch, as L-BFGS is meant to run: its curvature pairs carry from one epoch (one step) to the next.
        new("lbfgs, full batch",
            () => NeuralNets.Network.Sequential<float>(2).Dense(8).Tanh().Dense(3).Build(seed: 6),
            n => new Lbfgs<float>(n.Parameters, maxIterations: 3, maxEvaluations: 12, historySize: 4),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 90, Seed = 12 }),
        // PyTorch's MNIST example's way: dropout, log-softmax, the negative log-likelihood, Adadelta and a per-epoch StepLR.
        new("log-softmax, nll, adadelta, per-epoch schedule",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).ReLU().Dropout(0.25).Dense(3).LogSoftmax().Build(seed: 7),
            n => new Adadelta<float>(n.Parameters, 1.0),
            o => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 13, OnEpochStart = new StepDecay(1.0, stepSize: 1, gamma: 0.7).ApplyTo(o) },
            () => new NegativeLogLikelihood<float>()),
        // Residual blocks: running statistics and a dropout's random stream inside the branches, restored by their places.
        new("residual blocks with batch norms and dropout, momentum",
            () => NeuralNets.Network.Sequential<float>(2).Dense(12).ReLU()
                .Residual(b => b.Dense(12).BatchNorm1D().ReLU().Dropout(0.2).Dense(12)).ReLU()
                .Residual(b => b.Dense(8).BatchNorm1D(), shortcut: s => s.Dense(8, bias: false).BatchNorm1D()).Tanh()
                .Dense(3).Build(seed: 8),
            n => new Momentum<float>(n.Parameters, 0.05),
            _ => new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 14 }),
    ];

    public static IEnumerable<object[]> Names => All.Select(r => new object[] { r.Name });

    public static CheckpointRuns Named(string name) => All.Single(r => r.Name == name);

    /// <summary>A network, optimizer and trainer built afresh.</summary>
    public (Sequential<float> Network, IOptimizer<float> Optimizer, Trainer<float> Trainer) Build()
    {
        var network = Network();
        var optimizer = Optimizer(network);
        return (network, optimizer, new Trainer<float>(network, Loss?.Invoke() ?? new SoftmaxCrossEntropy<float>(), optimizer));
    }

    public static TrainingHistory Fit(Trainer<float> trainer, TrainingOptions options, string? resumeFrom = null, params ITrainingCallback<float>[] callbacks) =>
        trainer.Fit(Train, options, Validation, metrics: [new Accuracy<float>()], callbacks: callbacks, resumeFrom: resumeFrom,
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>
    /// All that a resume replaces, as text equal only when the bits are: the weights, the batch norms' running statistics,
    /// the optimizer's state and the trainer's history.
    /// </summary>
    public static string Everything(Sequential<float> network, IOptimizer<float> optimizer, Trainer<float> trainer)
    {
        var norms = network.Layers.OfType<BatchNorm<float>>()
            .Select(n => string.Join(",", n.RunningMean.ToArray().Concat(n.RunningVariance.ToArray()).Select(Bits)) + ";" + n.BatchesTracked.ToString(CultureInfo.InvariantCulture));
        var state = optimizer.ExportState().Parameters
            .Select(p => p.Name + ":" + p.Step.ToString(CultureInfo.InvariantCulture) + ":" +
                string.Join(",", p.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key + "=" + string.Join(",", b.Value.Select(v => Bits((float)v))))));
        return string.Join(" | ", Weights(network).Select(w => string.Join(",", w.Select(Bits)))) + " || " + string.Join(" | ", norms) + " || " +
            string.Join(" | ", state) + " || " + string.Join(" | ", Figures(trainer.History));
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", CultureInfo.InvariantCulture);

    public static float[][] Weights(Sequential<float> network) => network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();

    /// <summary>Every figure of every epoch but its wall time, doubles written so that two lines are equal only when the bits are.</summary>
    public static string[] Figures(TrainingHistory history) =>
        [.. history.Epochs.Select(Figures), string.Create(CultureInfo.InvariantCulture, $"steps {history.Steps}")];

    public static string Figures(EpochReport r)
    {
        static string Bits(double? value) => value is double v ? BitConverter.DoubleToInt64Bits(v).ToString("X16", CultureInfo.InvariantCulture) : "null";
        static string Metrics(MetricValues values) => string.Join(" ", values.Select(m => $"{m.Name}={Bits(m.Value)}/{m.HigherIsBetter}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Epoch}/{r.Epochs} loss={Bits(r.TrainLoss)} val={Bits(r.ValidationLoss)} steps={r.Steps} lr={Bits(r.LearningRate)} norm={Bits(r.GradientNorm)} max={Bits(r.MaxGradientNorm)} [{Metrics(r.Metrics)}] [{Metrics(r.ValidationMetrics)}]");
    }
}

/// <summary>At the end of one epoch, writes a checkpoint and stops the run, as a machine that goes down after a save would.</summary>
internal sealed class CheckpointAndStop(int epoch, string path) : ITrainingCallback<float>
{
    public void OnEpochEnd(TrainingContext<float> context, EpochReport report)
    {
        if (report.Epoch != epoch) return;
        context.SaveCheckpoint(path);
        context.Stop("interrupted after the checkpoint");
    }
}
