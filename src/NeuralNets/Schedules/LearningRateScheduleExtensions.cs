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
        return new ScheduledRate<T>(schedule, optimizer).Apply;
    }
}
