using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>
/// A learning rate as a function of the optimizer step (warm-up, one-cycle), set before every step: any
/// <see cref="IOptimizer{T}"/> takes it through <see cref="LearningRateScheduleExtensions.ApplyTo{T}(IStepSchedule, IOptimizer{T})"/>,
/// passed as <see cref="Training.TrainingOptions.OnStepStart"/>. The per-epoch schedules are <see cref="ILearningRateSchedule"/>.
/// </summary>
public interface IStepSchedule
{
    /// <summary>The learning rate for <paramref name="step"/>, counted over the whole run (1-based: step 1 is the first batch of epoch 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is below 1, or beyond the steps the schedule was planned for.</exception>
    double LearningRate(int step);
}
