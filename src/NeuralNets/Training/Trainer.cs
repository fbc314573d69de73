using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Kernels;
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
    private readonly ILoss<T> _loss;
    private readonly IOptimizer<T> _optimizer;
    private readonly Func<T> _evaluate;
    private readonly Parameter<T>[] _parameters;
    private readonly TensorBuffer<T> _batchFeatures = new();
    private readonly TensorBuffer<T> _batchTargets = new();
    private T[][]? _lastGood;

    // State the evaluate closure reads and writes; fields, so that one delegate serves every step.
    private Tensor<T>? _x, _y;
    private bool _firstEvaluation, _countCorrect, _keepLastGood, _hasAccuracy;
    private int _correct;
    private T _firstLoss;

    /// <summary>Creates a trainer for <paramref name="network"/> with <paramref name="loss"/> and <paramref name="optimizer"/>.</summary>
    public Trainer(ILayer<T> network, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _parameters = network.Parameters.ToArray();
        _evaluate = EvaluateCurrentBatch;
    }

    /// <summary>The history of the most recent (or running) <see cref="Fit"/>.</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>Trains on <paramref name="train"/>.</summary>
    /// <param name="train">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling seed.</param>
    /// <param name="validation">Evaluated after every epoch when given.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Checked between batches; on cancellation <see cref="History"/> holds the finished epochs.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
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

        History = new TrainingHistory();
        _keepLastGood = options.KeepLastGoodWeights;
        if (_keepLastGood) _lastGood ??= _parameters.Select(p => new T[p.Length]).ToArray();

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
                try
                {
                    _optimizer.Step(_evaluate);
                }
                catch (NonFiniteLossException e)
                {
                    bool restored = _keepLastGood && History.Steps > 0;
                    if (restored) RestoreLastGood();
                    throw new TrainingDivergedException(epoch, b + 1, e.Loss, restored);
                }
                History.Steps++;
                lossSum += double.CreateChecked(_firstLoss) * count;
                correct += _correct;
                hasAccuracy = _hasAccuracy;
            }

            Evaluation? validated = validation is null ? null : Evaluate(validation, batchSize);
            var report = new EpochReport(
                epoch, options.Epochs, lossSum / train.Count,
                hasAccuracy ? (double)correct / train.Count : null,
                validated?.Loss, validated?.Accuracy, clock.Elapsed);
            History.Add(report);
            progress?.Report(report);
        }
        return History;
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
        if (_network is Sequential<T> sequential) sequential.BackwardToParameters(_loss.Backward());
        else _network.Backward(_loss.Backward());
        if (_firstEvaluation)
        {
            _firstLoss = loss;
            _firstEvaluation = false;
            if (_keepLastGood) SaveLastGood();
        }
        return loss;
    }

    private void LoadBatch(Dataset<T> data, ReadOnlySpan<int> indices)
    {
        _x = _batchFeatures.Get(indices.Length, data.SampleShapeSpan);
        _y = _batchTargets.Get(indices.Length, data.TargetShapeSpan);
        data.CopyRows(indices, _x.Span(), _y.Span());
    }

    // Split across the cores like the optimizers' updates, so that each core copies the part of a weight it holds.
    private void SaveLastGood()
    {
        for (int i = 0; i < _parameters.Length; i++) ParallelRanges.Copy(_parameters[i].ValueArray, _lastGood![i], _parameters[i].Length);
    }

    private void RestoreLastGood()
    {
        for (int i = 0; i < _parameters.Length; i++) ParallelRanges.Copy(_lastGood![i], _parameters[i].ValueArray, _parameters[i].Length);
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
