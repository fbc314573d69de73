namespace NeuralNets.Optimizers;

/// <summary>Where <see cref="Adagrad{T}"/> adds ε to the accumulated squared gradients.</summary>
public enum AdagradEpsilon
{
    /// <summary>The lecture's form, inside the square root: η·g / √(G + ε).</summary>
    InsideRoot,

    /// <summary>PyTorch's form, after the square root: η·g / (√G + ε).</summary>
    OutsideRoot,
}
