using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// A loss: a scalar, the mean over the batch (as in the lecture's averaged gradient), and its
/// gradient with respect to the network's output.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes the mean loss of <paramref name="output"/> against <paramref name="target"/> and caches what <see cref="Backward"/> needs.</summary>
    /// <param name="output">The network's output, <c>[batch, ...]</c>.</param>
    /// <param name="target">The targets: same shape as the output, or class indices for classification losses (<c>[batch]</c>, or
    /// <c>[batch, d1, …]</c> for an output <c>[batch, C, d1, …]</c> where the loss takes one label per position).</param>
    T Forward(Tensor<T> output, Tensor<T> target);

    /// <summary>dLoss/dOutput for the most recent <see cref="Forward"/>, shaped like its output (a buffer the loss reuses).</summary>
    Tensor<T> Backward();
}
