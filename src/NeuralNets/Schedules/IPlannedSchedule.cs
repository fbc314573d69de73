namespace NeuralNets.Schedules;

/// <summary>
/// What <see cref="LearningRateScheduleExtensions.ApplyTo{T}"/> returns a method of, so that the trainer can find it
/// behind <see cref="Training.TrainingOptions.OnEpochStart"/> and check the whole plan before the first step.
/// </summary>
internal interface IPlannedSchedule
{
    /// <summary>Throws if the rate of any epoch in [1, <paramref name="epochs"/>] is one the optimizer would reject.</summary>
    void CheckEpochs(int epochs);
}
