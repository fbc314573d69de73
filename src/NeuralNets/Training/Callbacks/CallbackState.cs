namespace NeuralNets.Training.Callbacks;

/// <summary>
/// The state of one callback as plain data (its counters, its best value, copies of weights), which a checkpoint stores
/// so that a resumed run makes the same decisions as one never interrupted. Made by
/// <see cref="IStatefulCallback.ExportState"/>, taken by <see cref="IStatefulCallback.ImportState"/>.
/// </summary>
public sealed class CallbackState
{
    /// <summary>Creates the state; the collections are kept as given, not copied.</summary>
    /// <param name="kind">
    /// What the state belongs to, e.g. <c>"EarlyStopping:val_loss"</c>: a resumed run hands it only to a callback at the
    /// same place among the stateful callbacks that reports the same kind, so it should name whatever makes the state
    /// meaningless elsewhere (the figure watched, say).
    /// </param>
    /// <param name="scalars">Numbers by name (counts as whole numbers; NaN and infinities are kept).</param>
    /// <param name="buffers">Arrays of numbers by name (weights widened to double, which is exact for float and double).</param>
    public CallbackState(string kind, IReadOnlyDictionary<string, double> scalars, IReadOnlyDictionary<string, double[]> buffers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(scalars);
        ArgumentNullException.ThrowIfNull(buffers);
        (Kind, Scalars, Buffers) = (kind, scalars, buffers);
    }

    /// <summary>What the state belongs to, e.g. <c>"EarlyStopping:val_loss"</c>.</summary>
    public string Kind { get; }

    /// <summary>Numbers by name.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }

    /// <summary>Arrays of numbers by name.</summary>
    public IReadOnlyDictionary<string, double[]> Buffers { get; }

    /// <summary>A scalar that must be present, for <see cref="IStatefulCallback.ImportState"/>: a missing one throws naming it.</summary>
    /// <param name="name">The scalar's name.</param>
    /// <exception cref="ArgumentException">The state has no such scalar.</exception>
    public double Scalar(string name) => Scalars.TryGetValue(name, out double value)
        ? value
        : throw new ArgumentException($"The state of {Kind} lacks the scalar '{name}'.", "state");

    /// <summary>A scalar that must be a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="name">The scalar's name.</param>
    /// <param name="min">The least value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <exception cref="ArgumentException">The scalar is missing, not whole or out of range; the message names it and its value.</exception>
    public int Count(string name, int min, int max)
    {
        double value = Scalar(name);
        return value >= min && value <= max && value == Math.Floor(value)
            ? (int)value
            : throw new ArgumentException(FormattableString.Invariant($"The state of {Kind} has '{name}' = {value}; it must be a whole number in [{min}, {max}]."), "state");
    }
}
