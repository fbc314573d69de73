using System.Numerics;

namespace NeuralNets.Training.Callbacks;

/// <summary>
/// Code that <see cref="Trainer{T}.Fit"/> calls at fixed points of a run (Keras's callbacks): to watch it, to change
/// the optimizer's rate, to save the network, or to stop the run through <see cref="TrainingContext{T}.Stop"/>.
/// Every method does nothing unless implemented.
/// </summary>
/// <remarks>
/// Callbacks run on the training thread, in the order given, between steps. <see cref="OnBatchEnd"/> runs after every
/// step: it must not allocate if the step is to stay allocation-free.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin(TrainingContext<T> context) { }

    /// <summary>At the start of an epoch (<see cref="TrainingContext{T}.Epoch"/>), after <see cref="TrainingOptions.OnEpochStart"/>.</summary>
    void OnEpochBegin(TrainingContext<T> context) { }

    /// <summary>After every step, with the batch's figures.</summary>
    void OnBatchEnd(TrainingContext<T> context, in BatchReport report) { }

    /// <summary>After an epoch's validation, with its report (already in the history).</summary>
    void OnEpochEnd(TrainingContext<T> context, EpochReport report) { }

    /// <summary>After the last epoch, or the epoch in which the run was stopped (not after an exception).</summary>
    void OnTrainEnd(TrainingContext<T> context) { }
}
