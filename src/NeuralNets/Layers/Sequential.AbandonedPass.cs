namespace NeuralNets.Layers;

public sealed partial class Sequential<T>
{
    /// <summary>
    /// Forgets a training pass whose Backward will never come: a step that threw between its training Forward and its
    /// Backward (a user's loss, metric or layer) leaves the pass open, and a network with a layer without an inference
    /// copy would refuse every <see cref="Predict(System.Numerics.Tensors.Tensor{T})"/> until another training pass
    /// completed. Nested networks are closed too. Only for a pass that was abandoned: closing one that is running would
    /// let a Predict overwrite what its Backward needs.
    /// </summary>
    internal void CloseAbandonedTrainingPass()
    {
        _trainingPassOpen = false;
        foreach (var layer in _layers)
        {
            if (layer is Sequential<T> nested) nested.CloseAbandonedTrainingPass();
            else if (layer is Residual<T> block)
                foreach (var branch in block.Branches) branch.CloseAbandonedTrainingPass();
        }
    }

    void Training.IWeightChangeGuard.StepFailed() => CloseAbandonedTrainingPass();
}
