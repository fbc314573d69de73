using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>
/// An update rule over a fixed set of parameters, with per-parameter state. The training loop
/// belongs to the caller (or <see cref="Training.Trainer{T}"/>), never to the optimizer.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The parameters this optimizer updates.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The step size η; a learning-rate schedule may change it between steps.</summary>
    T LearningRate { get; set; }

    /// <summary>Takes one optimisation step.</summary>
    /// <param name="evaluate">
    /// Zeroes the gradients, runs forward, loss and backward at the parameters' <em>current</em>
    /// values, and returns the loss. Plain rules call it once; Nesterov calls it at the look-ahead
    /// point; L-BFGS calls it as often as its line search needs.
    /// </param>
    /// <returns>
    /// The loss returned by the first call of <paramref name="evaluate"/>: at the parameters as they were before the step,
    /// except for <see cref="Nesterov{T}"/>, whose only call is at the look-ahead point.
    /// </returns>
    T Step(Func<T> evaluate);
}
