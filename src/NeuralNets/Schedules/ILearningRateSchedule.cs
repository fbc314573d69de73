using NeuralNets.Optimizers;

namespace NeuralNets.Schedules;

/// <summary>
/// A learning rate as a function of the epoch, kept apart from the optimizer it drives: any
/// <see cref="IOptimizer{T}"/> takes it through <see cref="LearningRateScheduleExtensions.ApplyTo{T}(ILearningRateSchedule, IOptimizer{T})"/>.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (1-based: epoch 1 gets the initial rate).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is below 1.</exception>
    double LearningRate(int epoch);
}
