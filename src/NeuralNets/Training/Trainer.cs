using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Tensors;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>
/// The training loop: mini-batches drawn in a seeded order (<see cref="MiniBatches{T}"/>), one optimizer step per batch
/// with the gradient averaged over the batch (the loss is a mean), validation after every epoch. It knows nothing of
/// which optimizer, loss or network runs: it hands the optimizer the <c>evaluate</c> closure, and asks the network and
/// the metrics only through their interfaces.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T> _network;
    private readonly IParameterGradientOnly<T>? _parametersOnly;  // a network that can skip the input gradient training never uses
    private readonly IWeightChangeGuard? _guard;                   // a network whose Predict refuses to overlap a step
    private readonly ILoss<T> _loss;
    private readonly IOptimizer<T> _optimizer;
    private readonly Func<T> _evaluate;
    private readonly Parameter<T>[] _parameters;
    private WeightSnapshots<T>? _snapshots;

    // State the evaluate closure reads and writes; fields, so that one delegate serves every step.
    private Tensor<T>? _x, _y;
    private int _batchCount;
    private bool _firstEvaluation;
    private IMetricAccumulator<T>[] _accumulators = [];
    private T _firstLoss;

    /// <summary>Creates a trainer for <paramref name="network"/> with <paramref name="loss"/> and <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">The optimizer updates a parameter that is not one of the network's (it would train nothing the network uses).</exception>
    public Trainer(ILayer<T> network, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _parametersOnly = network as IParameterGradientOnly<T>;
        _guard = network as IWeightChangeGuard;
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _parameters = network.Parameters.ToArray();
        CheckOptimizerUpdatesNetwork();
        _evaluate = EvaluateCurrentBatch;
    }

    // By identity, not by value or name: two networks built from one seed have equal values and names, yet training
    // one leaves the other as it was. A layer's own parameter and the network's view of it are the same parameter.
    private void CheckOptimizerUpdatesNetwork()
    {
        var own = new HashSet<object>(_parameters.Select(p => p.Identity), ReferenceEqualityComparer.Instance);
        foreach (var p in _optimizer.Parameters)
            if (!own.Contains(p.Identity))
                throw new ArgumentException(
                    $"{_optimizer} updates parameter '{p.Name}' {ShapeMismatchException.Format(p.Shape)}, which is not one of the network's parameters; " +
                    "create the optimizer over this network's Parameters.", "optimizer");
    }

    /// <summary>The history of the most recent (or running) <see cref="Fit"/>.</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>Trains on <paramref name="train"/>.</summary>
    /// <param name="train">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling seed.</param>
    /// <param name="validation">Evaluated after every epoch when given.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Checked between batches; on cancellation <see cref="History"/> holds the finished epochs.</param>
    /// <param name="metrics">
    /// The metrics to report for the training batches and the validation set, e.g. <c>[new Accuracy&lt;float&gt;()]</c>;
    /// null gives accuracy for a dataset of class labels (<see cref="Dataset{T}.ClassCount"/> set) and none otherwise,
    /// an empty list none.
    /// </param>
    /// <exception cref="TrainingDivergedException">
    /// A step's loss, the validation loss or a weight after a step (the last included) became NaN or infinite;
    /// the exception names the epoch and batch (and the parameter).
    /// </exception>
    /// <exception cref="ArgumentException">A schedule applied through <c>OnEpochStart</c> would give a rate the optimizer rejects within the planned epochs.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public TrainingHistory Fit(
        Dataset<T> train, TrainingOptions? options = null, Dataset<T>? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default,
        IEnumerable<IMetric<T>>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        options.Validate();
        NetworkChecks.OutputShapeFor(_network, train, nameof(train));
        if (validation is not null) NetworkChecks.OutputShapeFor(_network, validation, nameof(validation));
        var trainMetrics = MetricSet.Resolve(metrics, train);
        _accumulators = MetricSet.Accumulators(trainMetrics);
        int batchSize = Math.Min(options.BatchSize, train.Count);
        var validationPass = validation is null ? null
            : new EvaluationPass<T>(_network, _loss, MetricSet.Resolve(metrics, validation), validation, Math.Min(batchSize, validation.Count));

        if (options.OnEpochStart?.Target is IPlannedSchedule planned) planned.CheckEpochs(options.Epochs);

        History = new TrainingHistory();
        if (_snapshots is null || _snapshots.Keeps != options.KeepLastGoodWeights)
            _snapshots = new WeightSnapshots<T>(_parameters, options.KeepLastGoodWeights);
        _snapshots.Clear();
        if (_snapshots.CaptureIfFinite() is { } before)
            throw new TrainingDivergedException(1, 0, double.NaN, before.Name, false, $"parameter '{before.Name}' held a non-finite value before the first step (batch 0)");

        var batches = new MiniBatches<T>(train, batchSize, options.Shuffle, options.Seed);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            options.OnEpochStart?.Invoke(epoch);
            foreach (var a in _accumulators) a.Reset();
            double lossSum = 0;
            foreach (var batch in batches.NextEpoch())
            {
                cancellationToken.ThrowIfCancellationRequested();
                Step(batch, epoch);
                lossSum += double.CreateChecked(_firstLoss) * batch.Count;
            }

            Evaluation? validated = validationPass?.Run();
            if (validated is { Loss: var validationLoss } && !double.IsFinite(validationLoss))
            {
                _guard?.BeginWeightChange();
                try
                {
                    throw new TrainingDivergedException(epoch, batches.BatchesPerEpoch, validationLoss, null, _snapshots.RestorePrevious(),
                        "the validation loss after the step was " + validationLoss.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                finally
                {
                    _guard?.EndWeightChange();
                }
            }
            var report = new EpochReport(epoch, options.Epochs, lossSum / train.Count, validated?.Loss, clock.Elapsed)
            {
                Metrics = MetricSet.Results(trainMetrics, _accumulators),
                ValidationMetrics = validated?.Metrics ?? MetricValues.Empty,
            };
            History.Add(report);
            progress?.Report(report);
        }
        CheckFinalLoss(options.Epochs, batches.BatchesPerEpoch);
        return History;
    }

    // One optimizer step on the batch; a loss or weight that turns non-finite ends the run with the last good weights.
    private void Step(MiniBatch<T> batch, int epoch)
    {
        (_x, _y, _batchCount) = (batch.Features, batch.Targets, batch.Count);
        _firstEvaluation = true;
        // A Predict on another thread that overlaps the weights' change refuses to answer (see Sequential's remarks).
        _guard?.BeginWeightChange();
        try
        {
            try
            {
                _optimizer.Step(_evaluate);
            }
            catch (NonFiniteLossException e)
            {
                // The loss at the newest weights failed: go back to the ones before them.
                throw new TrainingDivergedException(epoch, batch.Index + 1, e.Loss, _snapshots!.RestorePrevious());
            }
            // Every step, the last included: a weight can turn non-finite while the loss stays finite (−∞ behind a ReLU).
            if (_snapshots!.CaptureIfFinite() is { } failed)
                throw new TrainingDivergedException(epoch, batch.Index + 1, failed.Name, _snapshots.RestoreNewest());
        }
        finally
        {
            _guard?.EndWeightChange();
        }
        History.Steps++;
    }

    // Each step's loss is that of the weights the step before left, so the final step's weights would go unjudged:
    // one forward pass over the last batch, once per run, judges them.
    private void CheckFinalLoss(int epoch, int batch)
    {
        double loss = double.CreateChecked(_loss.Forward(_network.Forward(_x!, training: false), _y!));
        if (double.IsFinite(loss)) return;
        _guard?.BeginWeightChange();
        try
        {
            throw new TrainingDivergedException(epoch, batch, loss, null, _snapshots!.RestorePrevious(),
                "the loss at the weights after the final step was " + loss.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            _guard?.EndWeightChange();
        }
    }

    /// <summary>Mean loss and metrics of the network on <paramref name="data"/>, in inference mode (the same as <see cref="Evaluator.Evaluate{T}"/> with this trainer's loss).</summary>
    /// <param name="data">The dataset.</param>
    /// <param name="metrics">The metrics; null gives accuracy for a dataset of class labels and none otherwise.</param>
    /// <param name="batchSize">Samples per forward pass. Default 256.</param>
    public Evaluation Evaluate(Dataset<T> data, IEnumerable<IMetric<T>>? metrics = null, int batchSize = 256) =>
        _network.Evaluate(data, _loss, metrics, batchSize);

    private T EvaluateCurrentBatch()
    {
        foreach (var p in _parameters) p.ZeroGradientDeferred(); // nobody can look before backward overwrites it
        var output = _network.Forward(_x!, training: true);
        T loss = _loss.Forward(output, _y!);
        // Only the step's first evaluation is at accepted weights; later ones are an optimizer's trial
        // points (L-BFGS's line search), which back off from a non-finite loss by themselves.
        if (_firstEvaluation && !T.IsFinite(loss)) throw new NonFiniteLossException(double.CreateChecked(loss));
        if (_firstEvaluation)
            foreach (var a in _accumulators) a.Add(output.Span(), _y!.Span(), _batchCount);
        if (_parametersOnly is { } network) network.BackwardToParameters(_loss.Backward());
        else _network.Backward(_loss.Backward());
        if (_firstEvaluation)
        {
            _firstLoss = loss;
            _firstEvaluation = false;
        }
        return loss;
    }

    /// <summary>Raised inside evaluate so that the step stops before the optimizer moves the weights.</summary>
    private sealed class NonFiniteLossException(double loss) : Exception
    {
        public double Loss { get; } = loss;
    }
}
