using System.Diagnostics;
using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;

namespace Playground.Engine;

/// <summary>
/// One run of a configuration, advanced one mini-batch at a time so that the page can train in short
/// slices between frames: an epoch of a slow configuration spreads over several frames instead of freezing one.
/// The loop is written out (rather than <c>Trainer.Fit</c>) for exactly that: Fit runs whole epochs.
/// </summary>
public sealed class TrainingSession
{
    private readonly ILoss<float> _loss, _evaluationLoss;
    private readonly ILearningRateSchedule? _schedule;
    private readonly Tensor<float> _trainX, _trainY, _testX, _testY;
    private readonly float[] _trainRows;
    private readonly Batch _full;
    private readonly Batch? _last;
    private readonly int[] _order;
    private readonly Random _shuffle;
    private readonly Func<float> _evaluate;
    private readonly int _featureCount, _batchSize;
    private readonly List<float> _trainLoss = [], _testLoss = [];
    private Tensor<float> _x, _y;
    private int _position;

    /// <summary>Generates the data, builds the network and the optimizer, and records the losses before any step (epoch 0).</summary>
    public TrainingSession(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Data = PlaneData.Generate(config);
        Network = NetworkFactory.Build(config);
        Optimizer = OptimizerFactory.Create(config, Network.Parameters);
        _schedule = OptimizerFactory.Schedule(config);
        // Two instances: a loss keeps what its Backward needs, and the epoch's evaluation must not overwrite a step's.
        _loss = CreateLoss(config);
        _evaluationLoss = CreateLoss(config);

        var chosen = FeatureNames.Chosen(config.Features);
        _featureCount = chosen.Count;
        int train = Data.TrainCount, test = Data.Count - train;
        _trainRows = new float[train * _featureCount];
        FeatureNames.Map(chosen, Data.X1.AsSpan(0, train), Data.X2.AsSpan(0, train), _trainRows);
        var testRows = new float[test * _featureCount];
        FeatureNames.Map(chosen, Data.X1.AsSpan(train), Data.X2.AsSpan(train), testRows);
        _trainX = Tensor.Create(_trainRows, [train, _featureCount]);
        _trainY = Tensor.Create(Data.Target[..train], [train, 1]);
        _testX = Tensor.Create(testRows, [test, _featureCount]);
        _testY = Tensor.Create(Data.Target[train..], [test, 1]);

        // L-BFGS is a full-batch method: its line search compares losses of one fixed objective.
        _batchSize = config.Optimizer == OptimizerKind.Lbfgs ? train : Math.Min(config.BatchSize, train);
        _full = new Batch(_batchSize, _featureCount);
        int last = train % _batchSize;
        // The last, shorter batch of an epoch has buffers of its own: the network's shapes follow the tensor.
        if (last > 0) _last = new Batch(last, _featureCount);
        (_x, _y) = (_full.X, _full.Y);
        _order = Enumerable.Range(0, train).ToArray();
        _shuffle = new Random(config.Seed);
        _evaluate = Evaluate;
        LearningRate = config.LearningRate;
        RecordLosses();
    }

    /// <summary>The configuration this run trains.</summary>
    public PlaygroundConfig Config { get; }

    /// <summary>The points, split into training and test.</summary>
    public PlaneData Data { get; }

    /// <summary>The network being trained.</summary>
    public Sequential<float> Network { get; }

    /// <summary>The optimizer.</summary>
    public IOptimizer<float> Optimizer { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>Mini-batch steps taken in all.</summary>
    public long Steps { get; private set; }

    /// <summary>η in use now (the schedule's value for the current epoch).</summary>
    public double LearningRate { get; private set; }

    /// <summary>Mean loss over the training points after each epoch; element 0 is before training.</summary>
    public IReadOnlyList<float> TrainLoss => _trainLoss;

    /// <summary>Mean loss over the test points after each epoch; element 0 is before training.</summary>
    public IReadOnlyList<float> TestLoss => _testLoss;

    /// <summary>The highest finite loss recorded so far, training or test: the top of the loss chart.</summary>
    public float HighestLoss { get; private set; }

    /// <summary>Why training stopped (a loss that became NaN or infinite), or null while it can go on.</summary>
    public string? Failure { get; private set; }

    /// <summary>Steps in one epoch.</summary>
    public int StepsPerEpoch => (Data.TrainCount + _batchSize - 1) / _batchSize;

    /// <summary>Takes one mini-batch step; returns true when it completed an epoch.</summary>
    public bool Step()
    {
        if (Failure is not null) return false;
        if (_position == 0) StartEpoch();
        int count = Math.Min(_batchSize, Data.TrainCount - _position);
        var batch = count == _batchSize ? _full : _last!;
        for (int i = 0; i < count; i++)
        {
            int n = _order[_position + i];
            _trainRows.AsSpan(n * _featureCount, _featureCount).CopyTo(batch.Rows.AsSpan(i * _featureCount));
            batch.Targets[i] = Data.Target[n];
        }
        (_x, _y) = (batch.X, batch.Y);
        float loss;
        try
        {
            loss = Optimizer.Step(_evaluate);
        }
        catch (Exception e) when (e is ArithmeticException or InvalidOperationException or ArgumentException)
        {
            // A rule that rejects a non-finite loss or gradient itself: the page says so instead of dying.
            Failure = $"Training stopped in epoch {(Epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {e.Message}";
            return false;
        }
        Steps++;
        _position += count;
        if (!float.IsFinite(loss))
        {
            Failure = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The loss became {loss} in epoch {Epoch + 1}; lower η and press reset.");
            return false;
        }
        if (_position < Data.TrainCount) return false;
        _position = 0;
        Epoch++;
        RecordLosses();
        return true;
    }

    /// <summary>Steps until the current epoch is complete (or training failed).</summary>
    public void RunEpoch()
    {
        while (Failure is null && !Step()) { }
    }

    /// <summary>
    /// Steps for about <paramref name="milliseconds"/> (at least one step), the slice the page trains between
    /// two frames; returns the epochs completed in it.
    /// </summary>
    public int RunFor(double milliseconds)
    {
        long start = Stopwatch.GetTimestamp();
        int epochs = 0;
        do
        {
            if (Step()) epochs++;
        }
        while (Failure is null && Stopwatch.GetElapsedTime(start).TotalMilliseconds < milliseconds);
        return epochs;
    }

    private void StartEpoch()
    {
        if (_schedule is not null)
        {
            LearningRate = _schedule.LearningRate(Epoch + 1);
            Optimizer.LearningRate = LearningRate;
        }
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = _shuffle.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    private float Evaluate()
    {
        Network.ZeroGradients();
        var output = Network.Forward(_x, training: true);
        float loss = _loss.Forward(output, _y);
        Network.BackwardToParameters(_loss.Backward());
        if (Config.Optimizer == OptimizerKind.Lbfgs && Config.WeightDecay > 0) loss += AddL2((float)Config.WeightDecay);
        return loss;
    }

    // L-BFGS takes no weight decay of its own: add λ/2·‖w‖² to the loss and λw to the gradient, which is what
    // the other rules' weightDecay argument does to the gradient.
    private float AddL2(float lambda)
    {
        float penalty = 0;
        foreach (var p in Network.Parameters)
        {
            var w = p.ValueSpan;
            var g = p.GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                penalty += w[i] * w[i];
                g[i] += lambda * w[i];
            }
        }
        return 0.5f * lambda * penalty;
    }

    private static ILoss<float> CreateLoss(PlaygroundConfig config) =>
        config.IsRegression ? new MeanSquaredError<float>() : new BinaryCrossEntropyWithLogits<float>();

    private void RecordLosses()
    {
        _trainLoss.Add(_evaluationLoss.Forward(Network.Forward(_trainX, training: false), _trainY));
        _testLoss.Add(_evaluationLoss.Forward(Network.Forward(_testX, training: false), _testY));
        foreach (float loss in (ReadOnlySpan<float>)[_trainLoss[^1], _testLoss[^1]])
            if (float.IsFinite(loss)) HighestLoss = MathF.Max(HighestLoss, loss);
    }

    /// <summary>Reused buffers of one batch size, wrapped once as tensors.</summary>
    private sealed class Batch
    {
        public Batch(int size, int features)
        {
            (Rows, Targets) = (new float[size * features], new float[size]);
            (X, Y) = (Tensor.Create(Rows, [size, features]), Tensor.Create(Targets, [size, 1]));
        }

        public float[] Rows { get; }
        public float[] Targets { get; }
        public Tensor<float> X { get; }
        public Tensor<float> Y { get; }
    }
}
