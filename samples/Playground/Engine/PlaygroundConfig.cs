namespace Playground.Engine;

/// <summary>The problem the page shows: four two-class sets and one regression surface.</summary>
public enum DataKind { Spiral, Xor, Circle, Gauss, Regression }

/// <summary>The activation every hidden layer uses.</summary>
public enum ActivationKind { Tanh, Sigmoid, ReLU, LeakyReLU }

/// <summary>Every optimizer of the library.</summary>
public enum OptimizerKind { Sgd, Momentum, Nesterov, Adagrad, Adadelta, RmsProp, Adam, AdamW, Nadam, Lbfgs }

/// <summary>How η changes from epoch to epoch.</summary>
public enum ScheduleKind { Constant, Step, Exponential, Cosine }

/// <summary>The input features of the original playground, computed from the point (x₁, x₂).</summary>
[Flags]
public enum Features
{
    /// <summary>No feature (not a valid choice on its own).</summary>
    None = 0,
    /// <summary>x₁.</summary>
    X1 = 1,
    /// <summary>x₂.</summary>
    X2 = 2,
    /// <summary>x₁².</summary>
    X1Squared = 4,
    /// <summary>x₂².</summary>
    X2Squared = 8,
    /// <summary>x₁x₂.</summary>
    X1X2 = 16,
    /// <summary>sin x₁.</summary>
    SinX1 = 32,
    /// <summary>sin x₂.</summary>
    SinX2 = 64,
}

/// <summary>
/// Everything that decides a run: the data, the network, the optimizer and the seed. Two equal
/// configurations train to the same curve, which is why the whole record travels in the page's URL.
/// </summary>
public sealed record PlaygroundConfig
{
    /// <summary>The data set.</summary>
    public DataKind Data { get; init; } = DataKind.Spiral;

    /// <summary>Points in the whole set (train and test).</summary>
    public int Points { get; init; } = 500;

    /// <summary>Noise, in percent of the original playground's scale (0–50).</summary>
    public int Noise { get; init; }

    /// <summary>Percentage of the points used for training (10–90).</summary>
    public int TrainPercent { get; init; } = 50;

    /// <summary>Mini-batch size (L-BFGS always uses the whole training set).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The input features.</summary>
    public Features Features { get; init; } = Features.X1 | Features.X2;

    /// <summary>Neurons of each hidden layer, input side first.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [8, 8];

    /// <summary>The hidden layers' activation.</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Tanh;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>η, the (initial) learning rate.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>γ, the momentum of Momentum, Nesterov and RMSprop.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>β₁ of Adam, AdamW and Nadam.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂ of Adam, AdamW and Nadam; also RMSprop's α and Adadelta's ρ (the decay of the squared-gradient average).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε of the adaptive rules.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>λ, the L2 weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The learning-rate schedule.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>Epochs per decay step (step schedule) or the period (cosine).</summary>
    public int ScheduleEpochs { get; init; } = 100;

    /// <summary>The decay factor of the step and exponential schedules.</summary>
    public double ScheduleGamma { get; init; } = 0.5;

    /// <summary>The seed of the data, the split, the initial weights and the shuffling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether the data is a regression surface rather than two classes.</summary>
    public bool IsRegression => Data == DataKind.Regression;

    /// <summary>Value equality over the hidden-layer list too, so that a decoded URL equals the configuration it came from.</summary>
    public bool Equals(PlaygroundConfig? other) =>
        other is not null && ToKey() == other.ToKey();

    /// <inheritdoc/>
    public override int GetHashCode() => ToKey().GetHashCode(StringComparison.Ordinal);

    private string ToKey() => ConfigUrl.Encode(this);
}
