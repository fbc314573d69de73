using NeuralNets;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;

namespace Playground.Engine;

/// <summary>Creates the optimizer and the learning-rate schedule a configuration names, with its hyperparameters.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// The rule over <paramref name="parameters"/>. λ goes to the rule's own weight-decay argument (decoupled for
    /// AdamW, as the library defines it); <see cref="Lbfgs{T}"/> has none, so <see cref="TrainingSession"/> adds the L2 term itself.
    /// </summary>
    public static IOptimizer<float> Create(PlaygroundConfig config, IReadOnlyList<Parameter<float>> parameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (lr, l2) = (config.LearningRate, config.WeightDecay);
        return config.Optimizer switch
        {
            OptimizerKind.Sgd => new Sgd<float>(parameters, lr, l2),
            OptimizerKind.Momentum => new Momentum<float>(parameters, lr, config.Momentum, l2),
            OptimizerKind.Nesterov => new Nesterov<float>(parameters, lr, config.Momentum, l2),
            OptimizerKind.Adagrad => new Adagrad<float>(parameters, lr, weightDecay: l2, epsilon: config.Epsilon),
            OptimizerKind.Adadelta => new Adadelta<float>(parameters, lr, rho: config.Beta2, epsilon: config.Epsilon, weightDecay: l2),
            OptimizerKind.RmsProp => new RmsProp<float>(parameters, lr, alpha: config.Beta2, epsilon: config.Epsilon, weightDecay: l2, momentum: config.Momentum),
            OptimizerKind.Adam => new Adam<float>(parameters, lr, config.Beta1, config.Beta2, config.Epsilon, l2),
            OptimizerKind.AdamW => new AdamW<float>(parameters, lr, config.Beta1, config.Beta2, config.Epsilon, l2),
            OptimizerKind.Nadam => new Nadam<float>(parameters, lr, config.Beta1, config.Beta2, config.Epsilon, l2),
            OptimizerKind.Lbfgs => new Lbfgs<float>(parameters, lr),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "Unknown optimizer."),
        };
    }

    /// <summary>The schedule, or null for a constant η.</summary>
    public static ILearningRateSchedule? Schedule(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Schedule switch
        {
            ScheduleKind.Constant => null,
            ScheduleKind.Step => new StepDecay(config.LearningRate, config.ScheduleEpochs, config.ScheduleGamma),
            ScheduleKind.Exponential => new ExponentialDecay(config.LearningRate, config.ScheduleGamma),
            ScheduleKind.Cosine => new CosineAnnealing(config.LearningRate, config.ScheduleEpochs),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Schedule, "Unknown schedule."),
        };
    }

    /// <summary>Which hyperparameters the rule reads, by their lecture symbol, for the page to show.</summary>
    public static IReadOnlyList<Hyperparameter> Uses(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd or OptimizerKind.Lbfgs => [],
        OptimizerKind.Momentum or OptimizerKind.Nesterov => [Hyperparameter.Momentum],
        OptimizerKind.Adagrad => [Hyperparameter.Epsilon],
        OptimizerKind.Adadelta => [Hyperparameter.Beta2, Hyperparameter.Epsilon],
        OptimizerKind.RmsProp => [Hyperparameter.Momentum, Hyperparameter.Beta2, Hyperparameter.Epsilon],
        _ => [Hyperparameter.Beta1, Hyperparameter.Beta2, Hyperparameter.Epsilon],
    };

    /// <summary>The name of β₂'s field for <paramref name="kind"/>: RMSprop calls the decay α, Adadelta ρ.</summary>
    public static string Beta2Label(OptimizerKind kind) => kind switch
    {
        OptimizerKind.RmsProp => "α",
        OptimizerKind.Adadelta => "ρ",
        _ => "β₂",
    };
}

/// <summary>An optimizer hyperparameter the page can show (η is always shown).</summary>
public enum Hyperparameter { Momentum, Beta1, Beta2, Epsilon }
