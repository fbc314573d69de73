namespace NeuralNets.Training;

/// <summary>
/// A network that wants to know when the trainer changes its weights, so that inference on other threads can refuse
/// to answer from half-updated weights, and when a step fails, so that inference no longer waits for the pass it left
/// (<see cref="Layers.Sequential{T}"/> does both). The trainer asks the interface, not the type.
/// </summary>
internal interface IWeightChangeGuard
{
    /// <summary>The weights start to change (an optimizer step, a restore).</summary>
    void BeginWeightChange();

    /// <summary>The change <see cref="BeginWeightChange"/> announced is over.</summary>
    void EndWeightChange();

    /// <summary>
    /// A step failed with an exception: a training pass it began (a Forward whose Backward will never come) is abandoned,
    /// and inference must no longer wait for it. Called only then, never while a pass runs.
    /// </summary>
    void StepFailed();
}
