using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>Connects a schedule to an optimizer.</summary>
public static class LearningRateScheduleExtensions
{
    /// <summary>
    /// An action that sets <paramref name="optimizer"/>'s learning rate for the epoch it is given; pass it as
    /// <see cref="Training.TrainingOptions.OnEpochStart"/>, or call it yourself at the start of each epoch.
    /// </summary>
    /// <example><code>
    /// var schedule = new CosineAnnealing(initialRate: 0.1, epochs: 50);
    /// trainer.Fit(train, new TrainingOptions { Epochs = 50, OnEpochStart = schedule.ApplyTo(optimizer) });
    /// </code></example>
    /// <remarks>
    /// A rate that is not positive and finite in <typeparamref name="T"/> (a float rate that decays below 1.4e−45 is 0)
    /// fails with a message naming the schedule and the epoch. Passed as <c>OnEpochStart</c>, every planned epoch is
    /// checked when <see cref="Training.Trainer{T}.Fit"/> starts, before any step.
    /// </remarks>
    public static Action<int> ApplyTo<T>(this ILearningRateSchedule schedule, IOptimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        return new ScheduledRate<T>(schedule, schedule.LearningRate, "epoch", optimizer).Apply;
    }

    /// <summary>
    /// An action that sets <paramref name="optimizer"/>'s learning rate for the step it is given (1-based, over the
    /// whole run); pass it as <see cref="Training.TrainingOptions.OnStepStart"/>, or call it yourself before each step.
    /// </summary>
    /// <example><code>
    /// int steps = epochs * new MiniBatches&lt;float&gt;(train, batchSize).BatchesPerEpoch;
    /// var schedule = new OneCycle(maxRate: 0.1, totalSteps: steps);
    /// trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = batchSize, OnStepStart = schedule.ApplyTo(optimizer) });
    /// </code></example>
    /// <remarks>
    /// Passed as <c>OnStepStart</c>, every planned step is checked when <see cref="Training.Trainer{T}.Fit"/> starts,
    /// before any step: a rate the optimizer would reject, or a run longer than a <see cref="OneCycle"/> was planned for,
    /// fails at once, naming the schedule and the step.
    /// </remarks>
    public static Action<int> ApplyTo<T>(this IStepSchedule schedule, IOptimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        return new ScheduledRate<T>(schedule, schedule.LearningRate, "step", optimizer).Apply;
    }
}
