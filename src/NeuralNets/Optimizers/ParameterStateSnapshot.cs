namespace NeuralNets.Optimizers;

/// <summary>The state an optimizer keeps for one parameter, as plain data.</summary>
public sealed class ParameterStateSnapshot
{
    /// <summary>Creates the snapshot of one parameter's state; the collections are kept as given, not copied.</summary>
    /// <param name="name">The parameter's name, e.g. <c>"0.weight"</c>.</param>
    /// <param name="shape">The parameter's shape.</param>
    /// <param name="step">How many updates the parameter has had (PyTorch's <c>step</c>).</param>
    /// <param name="buffers">Each state buffer by its name (e.g. <c>"exp_avg"</c>), as long as the parameter, row-major.</param>
    /// <param name="scalars">Each scalar state by its name (e.g. NAdam's <c>"mu_product"</c>); <paramref name="step"/> is not among them.</param>
    public ParameterStateSnapshot(string name, IReadOnlyList<int> shape, long step, IReadOnlyDictionary<string, double[]> buffers, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentNullException.ThrowIfNull(scalars);
        (Name, Shape, Step, Buffers, Scalars) = (name, shape, step, buffers, scalars);
    }

    /// <summary>The parameter's name.</summary>
    public string Name { get; }

    /// <summary>The parameter's shape.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>How many updates the parameter has had.</summary>
    public long Step { get; }

    /// <summary>Each state buffer by name, each as long as the parameter.</summary>
    public IReadOnlyDictionary<string, double[]> Buffers { get; }

    /// <summary>Each scalar state by name, besides <see cref="Step"/>.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }
}
