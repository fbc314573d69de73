namespace NeuralNets.Schedules;

/// <summary>
/// What <see cref="LearningRateScheduleExtensions.ApplyTo{T}(ILearningRateSchedule, Optimizers.IOptimizer{T})"/> returns a
/// method of, so that the trainer can find it behind <see cref="Training.TrainingOptions.OnEpochStart"/> or
/// <see cref="Training.TrainingOptions.OnStepStart"/> and check the whole plan before the first step.
/// </summary>
internal interface IPlannedSchedule
{
    /// <summary>Throws if the rate of any epoch (or step) in [1, <paramref name="count"/>] is one the optimizer would reject.</summary>
    void CheckUpTo(int count);
}
