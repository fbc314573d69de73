namespace NeuralNets.Optimizers;

/// <summary>
/// Everything an optimizer needs to resume, as plain data: its kind, element type, hyperparameters and the state of every
/// parameter, by name. It holds no reference to the optimizer or its parameters, so a checkpoint writer can store it in
/// any format and rebuild it with this constructor. Made by <see cref="IOptimizer{T}.ExportState"/>, taken by
/// <see cref="IOptimizer{T}.ImportState"/> (the counterparts of PyTorch's <c>state_dict()</c> and <c>load_state_dict()</c>).
/// </summary>
public sealed class OptimizerSnapshot
{
    /// <summary>Creates a snapshot; the collections are kept as given, not copied.</summary>
    /// <param name="kind">The optimizer's kind, e.g. <c>"Adam"</c>; an import refuses a snapshot of another kind.</param>
    /// <param name="elementType">The name of the element type, <c>"Single"</c> or <c>"Double"</c>; an import refuses another.</param>
    /// <param name="hyperparameters">Each hyperparameter by its constructor argument name (flags as 0 or 1), e.g. <c>"beta1" → 0.9</c>.</param>
    /// <param name="parameters">The state of each parameter.</param>
    public OptimizerSnapshot(string kind, string elementType, IReadOnlyDictionary<string, double> hyperparameters, IReadOnlyList<ParameterStateSnapshot> parameters)
        : this(kind, elementType, hyperparameters, parameters, new Dictionary<string, double>())
    {
    }

    /// <summary>Creates a snapshot with state that belongs to the optimizer as a whole; the collections are kept as given, not copied.</summary>
    /// <param name="kind">The optimizer's kind, e.g. <c>"Lbfgs"</c>; an import refuses a snapshot of another kind.</param>
    /// <param name="elementType">The name of the element type, <c>"Single"</c> or <c>"Double"</c>; an import refuses another.</param>
    /// <param name="hyperparameters">Each hyperparameter by its constructor argument name (flags as 0 or 1).</param>
    /// <param name="parameters">The state of each parameter.</param>
    /// <param name="scalars">
    /// Scalar state of the whole optimizer by name, such as <see cref="Lbfgs{T}"/>'s count of curvature pairs and their
    /// ρ, which couple all parameters; empty for an optimizer whose state is per parameter.
    /// </param>
    public OptimizerSnapshot(string kind, string elementType, IReadOnlyDictionary<string, double> hyperparameters, IReadOnlyList<ParameterStateSnapshot> parameters,
        IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(elementType);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(scalars);
        (Kind, ElementType, Hyperparameters, Parameters, Scalars) = (kind, elementType, hyperparameters, parameters, scalars);
    }

    /// <summary>The optimizer's kind, e.g. <c>"Adam"</c>.</summary>
    public string Kind { get; }

    /// <summary>The element type's name, <c>"Single"</c> or <c>"Double"</c>.</summary>
    public string ElementType { get; }

    /// <summary>Each hyperparameter by its constructor argument name; flags are 0 or 1.</summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; }

    /// <summary>The state of each parameter the optimizer updates, in its order.</summary>
    public IReadOnlyList<ParameterStateSnapshot> Parameters { get; }

    /// <summary>Scalar state of the optimizer as a whole, by name; empty when all state is per parameter.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }
}
