using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Serialization;
using NeuralNets.Tensors;
using NeuralNets.Training.Callbacks;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>
/// The training loop: mini-batches drawn in a seeded order (<see cref="MiniBatches{T}"/>), one optimizer step per batch
/// with the gradient averaged over the batch (the loss is a mean), validation after every epoch. It knows nothing of
/// which optimizer, loss or network runs: it hands the optimizer the <c>evaluate</c> closure, and asks the network and
/// the metrics only through their interfaces.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed partial class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T> _network;
    private readonly IParameterGradientOnly<T>? _parametersOnly;  // a network that can skip the input gradient training never uses
    private readonly IWeightChangeGuard? _guard;                   // a network whose Predict refuses to overlap a step
    private readonly ILoss<T> _loss;
    private readonly IOptimizer<T> _optimizer;
    private readonly Func<T> _evaluate;
    private readonly Parameter<T>[] _parameters;
    private WeightSnapshots<T>? _snapshots;
    private BatchTransform<T>? _transform;

    // State the evaluate closure reads and writes; fields, so that one delegate serves every step.
    private Tensor<T>? _x, _y;
    private int _batchCount;
    private bool _firstEvaluation;
    private IMetricAccumulator<T>[] _accumulators = [];
    private T _firstLoss;
    private double? _maxGradientNorm, _gradientClipValue;
    private double _firstGradientNorm;

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
    /// <param name="options">Epochs, batch size, shuffling seed, schedules, gradient clipping.</param>
    /// <param name="validation">Evaluated after every epoch when given.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Checked between batches; on cancellation <see cref="History"/> holds the finished epochs.</param>
    /// <param name="metrics">
    /// The metrics to report for the training batches and the validation set, e.g. <c>[new Accuracy&lt;float&gt;()]</c>;
    /// null gives accuracy for a dataset of class labels (<see cref="Dataset{T}.ClassCount"/> set) and none otherwise,
    /// an empty list none.
    /// </param>
    /// <param name="callbacks">Called at the start and end of the run, of every epoch and after every batch, in order
    /// (<see cref="EarlyStopping{T}"/>, <see cref="ModelCheckpoint{T}"/>, <see cref="ReduceLearningRateOnPlateau{T}"/>, your own).</param>
    /// <param name="batchProgress">Receives a report after every batch, with the time left in the epoch.</param>
    /// <param name="resumeFrom">
    /// A checkpoint (<see cref="SaveCheckpoint"/>, <see cref="ModelCheckpoint{T}"/>) to continue from: its weights,
    /// optimizer state, random streams and history are put into this trainer's network and optimizer, built afresh as the
    /// checkpointed run built them, and the run goes on from the epoch after it. Give the options of the checkpointed run
    /// (more <see cref="TrainingOptions.Epochs"/> to train further): the result is bit-identical to a run never interrupted.
    /// All or nothing until the first step: if Fit throws before it (a callback's <c>OnTrainBegin</c> or first
    /// <c>OnEpochBegin</c>, a schedule, cancellation), the resume is taken back: the network's weights, running statistics
    /// and random streams, the optimizer's state (unless it cannot export it), <see cref="History"/> and the state of every
    /// <see cref="IStatefulCallback"/> whose <c>OnTrainBegin</c> returned are as they were before Fit. A callback that keeps
    /// no state has seen <c>OnTrainBegin</c>; the callback that threw is as it left itself. After the first step the
    /// resumed run stands, as any run's steps do.
    /// </param>
    /// <returns>The history; a run a callback stopped ends early, with <see cref="TrainingHistory.StopReason"/> set.</returns>
    /// <exception cref="TrainingDivergedException">
    /// A step's loss, the validation loss or a weight after a step (the last included) became NaN or infinite;
    /// the exception names the epoch and batch (and the parameter).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A schedule applied through <c>OnEpochStart</c> or <c>OnStepStart</c> would give a rate the optimizer rejects within
    /// the planned epochs or steps; or the batch size would give a batch normalisation that sees one position per channel
    /// a training batch of one sample (before the first step); or <paramref name="resumeFrom"/> was taken with other options or data (batch size,
    /// shuffling, seed, sample count, or more epochs than <see cref="TrainingOptions.Epochs"/>): nothing has changed then.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="InvalidDataException">
    /// <paramref name="resumeFrom"/> is not a well-formed checkpoint, holds another network or optimizer state than this
    /// trainer's, or a callback's saved state that the callback refuses; nothing has changed then (the network, the
    /// optimizer and <see cref="History"/> are as they were).
    /// </exception>
    /// <exception cref="FileNotFoundException"><paramref name="resumeFrom"/> does not exist.</exception>
    /// <exception cref="AggregateException">
    /// A resumed Fit failed before its first step and a stateful callback then refused its own state of before Fit while
    /// the resume was taken back: the failure is the first inner exception, each refusal one more.
    /// </exception>
    public TrainingHistory Fit(
        Dataset<T> train, TrainingOptions? options = null, Dataset<T>? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default,
        IEnumerable<IMetric<T>>? metrics = null, IEnumerable<ITrainingCallback<T>>? callbacks = null,
        IProgress<BatchReport>? batchProgress = null, string? resumeFrom = null)
    {
        try
        {
            return Run(train, options, validation, progress, cancellationToken, metrics, callbacks, batchProgress, resumeFrom);
        }
        catch (Exception failure)
        {
            // Before the first step of a resumed run: the resume is taken back, and the caller's objects are as they were.
            var refusals = new List<Exception>();
            TakeBackResume(refusals);
            if (refusals.Count == 0) throw;
            throw WithRefusals(failure, refusals);
        }
    }

    private TrainingHistory Run(
        Dataset<T> train, TrainingOptions? options, Dataset<T>? validation, IProgress<EpochReport>? progress, CancellationToken cancellationToken,
        IEnumerable<IMetric<T>>? metrics, IEnumerable<ITrainingCallback<T>>? callbacks, IProgress<BatchReport>? batchProgress, string? resumeFrom)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        options.Validate();
        NetworkChecks.OutputShapeFor(_network, train, nameof(train));
        var validationOutputShape = validation is null ? null : NetworkChecks.OutputShapeFor(_network, validation, nameof(validation));
        var trainMetrics = MetricSet.Resolve(metrics, train);
        _accumulators = MetricSet.Accumulators(trainMetrics);
        var listeners = _callbacks = CheckCallbacks(callbacks);
        int batchSize = Math.Min(options.BatchSize, train.Count);
        NetworkChecks.BatchNormBatches(_network, train, batchSize);
        var validationPass = validation is null ? null
            : new EvaluationPass<T>(_network, validationOutputShape!, _loss, MetricSet.Resolve(metrics, validation), validation, Math.Min(batchSize, validation.Count));
        var batches = new MiniBatches<T>(train, batchSize, options.Shuffle, options.Seed);
        _transform = BatchTransform<T>.For(options, _network, _parameters, _loss, train);

        if (options.OnEpochStart?.Target is IPlannedSchedule planned) planned.CheckUpTo(options.Epochs);
        if (options.OnStepStart?.Target is IPlannedSchedule plannedSteps) plannedSteps.CheckUpTo(checked(options.Epochs * batches.BatchesPerEpoch));
        (_maxGradientNorm, _gradientClipValue) = (options.MaxGradientNorm, options.GradientClipValue);

        (_checkpointable, _truncatedEpoch) = (null, null);
        // The trainer's History becomes the new one once a resume is accepted: a refused one leaves the last run's.
        var history = new TrainingHistory();
        int step = 0, firstEpoch = 1;
        if (resumeFrom is not null) (firstEpoch, step) = Resume(resumeFrom, options, train.Count, batches, history);
        int stepsBefore = step;
        if (_snapshots is null || _snapshots.Keeps != options.KeepLastGoodWeights)
            _snapshots = new WeightSnapshots<T>(_parameters, BatchNormLayers.Of(_network), options.KeepLastGoodWeights);
        _snapshots.Clear();
        if (_snapshots.CaptureIfFinite() is { } before)
            throw new TrainingDivergedException(firstEpoch, 0, double.NaN, before.Name, false, before.Describe() + " held a non-finite value before the first step (batch 0)");

        var context = new TrainingContext<T>(this, _network, _loss, _optimizer, options, history, batches.BatchesPerEpoch) { Epoch = firstEpoch - 1 };
        _resumeUndo?.Capture(listeners);
        for (int i = 0; i < listeners.Length; i++)
        {
            listeners[i].OnTrainBegin(context);
            _resumeUndo?.Begun = i + 1;
        }
        ImportCallbackStates(resumeFrom);
        History = history;
        for (int epoch = firstEpoch; epoch <= options.Epochs && !context.StopRequested; epoch++)
        {
            (_checkpointable, _truncatedEpoch) = (null, null);
            long start = Stopwatch.GetTimestamp();
            (context.Epoch, context.EpochFinished) = (epoch, false);
            options.OnEpochStart?.Invoke(epoch);
            foreach (var c in listeners) c.OnEpochBegin(context);
            foreach (var a in _accumulators) a.Reset();
            double lossSum = 0, normSum = 0, normMax = 0;
            int samples = 0, steps = 0;
            foreach (var batch in batches.NextEpoch())
            {
                cancellationToken.ThrowIfCancellationRequested();
                step++;
                options.OnStepStart?.Invoke(step);
                _resumeUndo = null;  // the resumed run is under way: its steps stand, as any run's do
                Step(batch, epoch);
                steps++;
                samples += batch.Count;
                double loss = double.CreateChecked(_firstLoss);
                lossSum += loss * batch.Count;
                normSum += _firstGradientNorm;
                normMax = Math.Max(normMax, _firstGradientNorm);
                if (batchProgress is null && listeners.Length == 0) continue;
                var batchReport = new BatchReport(epoch, options.Epochs, batch.Index + 1, batches.BatchesPerEpoch, loss, Stopwatch.GetElapsedTime(start));
                batchProgress?.Report(batchReport);
                foreach (var c in listeners) c.OnBatchEnd(context, batchReport);
                if (context.StopRequested) break;
            }

            Evaluation? validated = validationPass?.Run();
            if (validated is { Loss: var validationLoss } && !double.IsFinite(validationLoss))
                WithWeightsChanging(() => throw new TrainingDivergedException(epoch, steps, validationLoss, null, _snapshots.RestorePrevious(),
                    "the validation loss after the step was " + validationLoss.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var report = new EpochReport(epoch, options.Epochs, lossSum / samples, validated?.Loss, Stopwatch.GetElapsedTime(start))
            {
                Metrics = MetricSet.Results(trainMetrics, _accumulators),
                ValidationMetrics = validated?.Metrics ?? MetricValues.Empty,
                Steps = steps,
                LearningRate = _optimizer.LearningRate,
                GradientNorm = options.ClipsGradients ? normSum / steps : null,
                MaxGradientNorm = options.ClipsGradients ? normMax : null,
            };
            History.Add(report);
            // A stop from OnBatchEnd before the epoch's last batch leaves it unfinished: its report says so (Steps), but
            // no checkpoint may claim it, since a run resumed from one would go on with the next epoch.
            context.EpochFinished = steps == batches.BatchesPerEpoch;
            if (context.EpochFinished) _checkpointable = new CheckpointProgress(epoch, History.Steps, batchSize, options.Shuffle, options.Seed, train.Count);
            else _truncatedEpoch = (epoch, steps, batches.BatchesPerEpoch);
            progress?.Report(report);
            EpochEndCallbacks(listeners, context, report);
        }
        _resumeUndo = null;  // a resume with no epoch left to run is done
        if (History.Last is { } last && step > stepsBefore) CheckFinalLoss(last.Epoch, last.Steps);
        History.StopReason = context.StopReason;
        WithWeightsChanging(() =>
        {
            foreach (var c in listeners) c.OnTrainEnd(context);
        });
        return History;
    }

    private static ITrainingCallback<T>[] CheckCallbacks(IEnumerable<ITrainingCallback<T>>? callbacks)
    {
        var list = callbacks?.ToArray() ?? [];
        for (int i = 0; i < list.Length; i++)
            if (list[i] is null) throw new ArgumentNullException(nameof(callbacks), string.Create(CultureInfo.InvariantCulture, $"Callback {i} is null."));
        return list;
    }

    // A callback may put weights back (EarlyStopping): a Predict on another thread must not answer from half of them.
    private void WithWeightsChanging(Action change)
    {
        _guard?.BeginWeightChange();
        try
        {
            change();
        }
        finally
        {
            _guard?.EndWeightChange();
        }
    }

    // One optimizer step on the batch (augmented and attacked first, when the options ask); a loss or weight that turns
    // non-finite ends the run with the last good weights.
    private void Step(MiniBatch<T> batch, int epoch)
    {
        (_y, _batchCount) = (batch.Targets, batch.Count);
        _firstEvaluation = true;
        // A Predict on another thread that overlaps the weights' change refuses to answer (see Sequential's remarks).
        _guard?.BeginWeightChange();
        try
        {
            // Inside the guard: the attack's passes use the network's buffers as the step's do.
            _x = _transform is null ? batch.Features : _transform.Apply(batch, epoch);
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
                throw new TrainingDivergedException(epoch, batch.Index + 1, double.NaN, failed.Name, _snapshots.RestoreNewest(), failed.Describe() + " held a non-finite value after the step");
        }
        catch
        {
            // Whatever threw (a user's loss, metric or layer, or a diverged loss before Backward) may have left a training
            // Forward without its Backward; no Backward will come, so inference must not wait for one.
            _guard?.StepFailed();
            throw;
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
        WithWeightsChanging(() => throw new TrainingDivergedException(epoch, batch, loss, null, _snapshots!.RestorePrevious(),
            "the loss at the weights after the final step was " + loss.ToString(System.Globalization.CultureInfo.InvariantCulture)));
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
        double norm = ClipGradients();
        if (_firstEvaluation)
        {
            _firstLoss = loss;
            _firstGradientNorm = norm;
            _firstEvaluation = false;
        }
        return loss;
    }

    // Between backward and the update, on every evaluation (an L-BFGS line search sees clipped gradients too): values
    // first, then the norm. Returns the global norm before any clipping, or 0 without clipping.
    private double ClipGradients()
    {
        if (_maxGradientNorm is null && _gradientClipValue is null) return 0;
        var parameters = _optimizer.Parameters;
        double norm = GradientClipping.GlobalNorm(parameters);
        if (_gradientClipValue is double value) GradientClipping.ClipByValue(parameters, value);
        if (_maxGradientNorm is double maxNorm) GradientClipping.ClipByGlobalNorm(parameters, maxNorm);
        return norm;
    }

    /// <summary>Raised inside evaluate so that the step stops before the optimizer moves the weights.</summary>
    private sealed class NonFiniteLossException(double loss) : Exception
    {
        public double Loss { get; } = loss;
    }
}
