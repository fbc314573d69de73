using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>
/// An update rule over a fixed set of parameters, with per-parameter state. The training loop
/// belongs to the caller (or <see cref="Training.Trainer{T}"/>), never to the optimizer.
/// </summary>
/// <remarks>
/// <para><b>One vocabulary.</b> Hyperparameters are PyTorch's, in .NET casing, and every one is a <see cref="double"/>
/// whatever <typeparamref name="T"/> is (a rate is a setting, not a tensor element): <c>LearningRate</c> (lr),
/// <c>Momentum</c>, <c>Dampening</c>, <c>Beta1</c>/<c>Beta2</c> (betas), <c>Epsilon</c> (eps), <c>WeightDecay</c>,
/// <c>Rho</c>, <c>Alpha</c>, <c>Amsgrad</c>, <c>Centered</c>. <see cref="Momentum{T}"/> names its factor
/// <c>MomentumFactor</c> only because C# forbids a member named like its class. Constructor arguments, snapshot keys and
/// <c>ToString()</c> use the same names in camelCase (<c>beta1</c>); state buffers use PyTorch's state names
/// (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, <c>sum</c>, <c>square_avg</c>, <c>acc_delta</c>,
/// <c>grad_avg</c>, <c>momentum_buffer</c>, <c>mu_product</c>, and <c>step</c> per parameter), except <c>velocity</c>: the
/// lecture's v of <see cref="Momentum{T}"/> and <see cref="Nesterov{T}"/> is η times PyTorch's <c>momentum_buffer</c>, so it
/// does not take that name. PyTorch's names were chosen
/// because its documentation is where most users meet these rules, and a state read here can be compared with theirs.</para>
/// <para>Every hyperparameter may change between steps (a schedule, a warm-up of β1); setters validate and throw
/// <see cref="ArgumentOutOfRangeException"/> naming the hyperparameter (by its camelCase name, as the constructor does)
/// and the value. Set them between steps, on the thread that calls <see cref="Step"/>: a value changed while a step runs
/// could reach some ranges of a parameter and not others.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The parameters this optimizer updates.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The step size η; a learning-rate schedule may change it between steps.</summary>
    double LearningRate { get; set; }

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

    /// <summary>Forgets all state (moments, velocities, step counts), as if no step had been taken.</summary>
    /// <exception cref="NotSupportedException">The optimizer does not implement it.</exception>
    void Reset() => throw new NotSupportedException($"{GetType().Name} does not implement Reset.");

    /// <summary>Everything needed to resume this optimizer, as plain data (PyTorch's <c>state_dict()</c>): hyperparameters and each parameter's state by name.</summary>
    /// <exception cref="NotSupportedException">The optimizer does not expose its state.</exception>
    OptimizerSnapshot ExportState() => throw new NotSupportedException($"{GetType().Name} does not expose its state; derive from ElementwiseOptimizer<T> or implement ExportState.");

    /// <summary>
    /// Restores a snapshot from <see cref="ExportState"/> of an optimizer of the same kind over parameters with the same
    /// names and shapes (PyTorch's <c>load_state_dict()</c>). All or nothing: when it throws, nothing has changed.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <exception cref="ArgumentException">The snapshot does not fit this optimizer; the message names what differs.</exception>
    /// <exception cref="NotSupportedException">The optimizer does not expose its state.</exception>
    void ImportState(OptimizerSnapshot snapshot) => throw new NotSupportedException($"{GetType().Name} does not expose its state; derive from ElementwiseOptimizer<T> or implement ImportState.");
}
