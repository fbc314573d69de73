namespace NeuralNets.Training;

/// <summary>
/// A network that wants to know when the trainer changes its weights, so that inference on other threads can refuse
/// to answer from half-updated weights (<see cref="Layers.Sequential{T}"/> does). The trainer asks the interface, not the type.
/// </summary>
internal interface IWeightChangeGuard
{
    /// <summary>The weights start to change (an optimizer step, a restore).</summary>
    void BeginWeightChange();

    /// <summary>The change <see cref="BeginWeightChange"/> announced is over.</summary>
    void EndWeightChange();
}
