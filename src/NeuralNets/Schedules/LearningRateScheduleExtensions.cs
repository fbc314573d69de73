using System.Numerics;

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
    public static Action<int> ApplyTo<T>(this ILearningRateSchedule schedule, IOptimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        return epoch => optimizer.LearningRate = T.CreateChecked(schedule.LearningRate(epoch));
    }
}
