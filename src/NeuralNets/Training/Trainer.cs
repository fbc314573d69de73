using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Tensors;

namespace NeuralNets.Training;

/// <summary>
/// The training loop: mini-batches drawn in a seeded order, one optimizer step per batch with the
/// gradient averaged over the batch (the loss is a mean), validation after every epoch. It knows
/// nothing of which optimizer runs: it only hands it the <c>evaluate</c> closure.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T> _network;
    private readonly Sequential<T>? _sequential;   // the network when it is one: it refuses a Predict that overlaps a step
    private readonly ILoss<T> _loss;
    private readonly IOptimizer<T> _optimizer;
    private readonly Func<T> _evaluate;
    private readonly Parameter<T>[] _parameters;
    private readonly TensorBuffer<T> _batchFeatures = new();
    private readonly TensorBuffer<T> _batchTargets = new();
    private WeightSnapshots<T>? _snapshots;

    // State the evaluate closure reads and writes; fields, so that one delegate serves every step.
    private Tensor<T>? _x, _y;
    private bool _firstEvaluation, _countCorrect, _hasAccuracy;
    private int _correct;
    private T _firstLoss;

    /// <summary>Creates a trainer for <paramref name="network"/> with <paramref name="loss"/> and <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">The optimizer updates a parameter that is not one of the network's (it would train nothing the network uses).</exception>
    public Trainer(ILayer<T> network, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _sequential = network as Sequential<T>;
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
    /// <exception cref="TrainingDivergedException">
    /// A step's loss, the validation loss or a weight after a step (the last included) became NaN or infinite;
    /// the exception names the epoch and batch (and the parameter).
    /// </exception>
    /// <exception cref="ArgumentException">A schedule applied through <c>OnEpochStart</c> would give a rate the optimizer rejects within the planned epochs.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public TrainingHistory Fit(
        Dataset<T> train, TrainingOptions? options = null, Dataset<T>? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        options.Validate();
        CheckFits(train, nameof(train));
        if (validation is not null) CheckFits(validation, nameof(validation));

        if (options.OnEpochStart?.Target is IPlannedSchedule planned) planned.CheckEpochs(options.Epochs);

        History = new TrainingHistory();
        if (_snapshots is null || _snapshots.Keeps != options.KeepLastGoodWeights)
            _snapshots = new WeightSnapshots<T>(_parameters, options.KeepLastGoodWeights);
        _snapshots.Clear();
        if (_snapshots.CaptureIfFinite() is { } before)
            throw new TrainingDivergedException(1, 0, double.NaN, before.Name, false, $"parameter '{before.Name}' held a non-finite value before the first step (batch 0)");

        var random = new Random(options.Seed);
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        int batches = (train.Count + batchSize - 1) / batchSize;
        bool hasAccuracy = false;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            options.OnEpochStart?.Invoke(epoch);
            if (options.Shuffle) random.Shuffle(order);
            double lossSum = 0;
            long correct = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * batchSize, count = Math.Min(batchSize, train.Count - start);
                LoadBatch(train, order.AsSpan(start, count));
                _firstEvaluation = true;
                _countCorrect = true;
                _correct = 0;
                // A Predict on another thread that overlaps the weights' change refuses to answer (see Sequential's remarks).
                _sequential?.BeginTrainingStep();
                try
                {
                    try
                    {
                        _optimizer.Step(_evaluate);
                    }
                    catch (NonFiniteLossException e)
                    {
                        // The loss at the newest weights failed: go back to the ones before them.
                        throw new TrainingDivergedException(epoch, b + 1, e.Loss, _snapshots.RestorePrevious());
                    }
                    // Every step, the last included: a weight can turn non-finite while the loss stays finite (−∞ behind a ReLU).
                    if (_snapshots.CaptureIfFinite() is { } failed)
                        throw new TrainingDivergedException(epoch, b + 1, failed.Name, _snapshots.RestoreNewest());
                }
                finally
                {
                    _sequential?.EndTrainingStep();
                }
                History.Steps++;
                lossSum += double.CreateChecked(_firstLoss) * count;
                correct += _correct;
                hasAccuracy = _hasAccuracy;
            }

            Evaluation? validated = validation is null ? null : Evaluate(validation, batchSize);
            if (validated is { Loss: var validationLoss } && !double.IsFinite(validationLoss))
            {
                _sequential?.BeginTrainingStep();
                try
                {
                    throw new TrainingDivergedException(epoch, batches, validationLoss, null, _snapshots.RestorePrevious(),
                        "the validation loss after the step was " + validationLoss.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                finally
                {
                    _sequential?.EndTrainingStep();
                }
            }
            var report = new EpochReport(
                epoch, options.Epochs, lossSum / train.Count,
                hasAccuracy ? (double)correct / train.Count : null,
                validated?.Loss, validated?.Accuracy, clock.Elapsed);
            History.Add(report);
            progress?.Report(report);
        }
        CheckFinalLoss(options.Epochs, batches);
        return History;
    }

    // Each step's loss is that of the weights the step before left, so the final step's weights would go unjudged:
    // one forward pass over the last batch, once per run, judges them.
    private void CheckFinalLoss(int epoch, int batch)
    {
        double loss = double.CreateChecked(_loss.Forward(_network.Forward(_x!, training: false), _y!));
        if (double.IsFinite(loss)) return;
        _sequential?.BeginTrainingStep();
        try
        {
            throw new TrainingDivergedException(epoch, batch, loss, null, _snapshots!.RestorePrevious(),
                "the loss at the weights after the final step was " + loss.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            _sequential?.EndTrainingStep();
        }
    }

    /// <summary>Mean loss and accuracy of the network on <paramref name="data"/>, in inference mode.</summary>
    public Evaluation Evaluate(Dataset<T> data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckFits(data, nameof(data));
        double lossSum = 0;
        long correct = 0;
        bool hasAccuracy = false;
        var indices = new int[Math.Min(batchSize, data.Count)];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < count; i++) indices[i] = start + i;
            LoadBatch(data, indices.AsSpan(0, count));
            var output = _network.Forward(_x!, training: false);
            lossSum += double.CreateChecked(_loss.Forward(output, _y!)) * count;
            hasAccuracy = Metrics.HasAccuracy(_loss, output.SampleSize());
            if (hasAccuracy) correct += Metrics.CountCorrect(output, _y!.Span());
        }
        return new Evaluation(lossSum / data.Count, hasAccuracy ? (double)correct / data.Count : null);
    }

    private T EvaluateCurrentBatch()
    {
        foreach (var p in _parameters) p.ZeroGradientDeferred(); // nobody can look before backward overwrites it
        var output = _network.Forward(_x!, training: true);
        T loss = _loss.Forward(output, _y!);
        // Only the step's first evaluation is at accepted weights; later ones are an optimizer's trial
        // points (L-BFGS's line search), which back off from a non-finite loss by themselves.
        if (_firstEvaluation && !T.IsFinite(loss)) throw new NonFiniteLossException(double.CreateChecked(loss));
        if (_countCorrect)
        {
            _hasAccuracy = Metrics.HasAccuracy(_loss, output.SampleSize());
            if (_hasAccuracy) _correct = Metrics.CountCorrect(output, _y!.Span());
            _countCorrect = false;
        }
        if (_sequential is { } sequential) sequential.BackwardToParameters(_loss.Backward());
        else _network.Backward(_loss.Backward());
        if (_firstEvaluation)
        {
            _firstLoss = loss;
            _firstEvaluation = false;
        }
        return loss;
    }

    private void LoadBatch(Dataset<T> data, ReadOnlySpan<int> indices)
    {
        _x = _batchFeatures.Get(indices.Length, data.SampleShapeSpan);
        _y = _batchTargets.Get(indices.Length, data.TargetShapeSpan);
        data.CopyRows(indices, _x.Span(), _y.Span());
    }

    private void CheckFits(Dataset<T> data, string name)
    {
        if (_loss.TakesClassIndices && data.ClassCount is null && data.TargetSize != 1)
            throw new ArgumentException($"{_loss} needs one class index per sample, but the {name} set's targets have shape {ShapeMismatchException.Format(data.TargetShape)} per sample.", name);
        if (_network is Sequential<T> { InputShape: { } expected } && !expected.SequenceEqual(data.SampleShape))
            throw new ShapeMismatchException("Sequential", ShapeMismatchException.Format(expected) + " per sample", data.SampleShape, $"the {name} set's samples do not fit the network");
        if (_loss.TakesClassIndices && data.ClassCount is int classes
            && _network is Sequential<T> { OutputShapeOfNetwork: [int outputs] } && outputs < classes)
            throw new ArgumentException($"The {name} set has {classes} classes but the network outputs {outputs} values per sample; its last layer needs one output per class.", name);
    }

    /// <summary>Raised inside evaluate so that the step stops before the optimizer moves the weights.</summary>
    private sealed class NonFiniteLossException(double loss) : Exception
    {
        public double Loss { get; } = loss;
    }
}
