using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// How one kind of layer is rebuilt from its <see cref="LayerDescription"/>: the kind's name, the parameters a
/// description implies, and the layer itself. Register one with <see cref="LayerRegistry.Register"/> so that
/// <see cref="ModelFile"/> saves and loads layers of that kind; every built-in layer is registered the same way.
/// </summary>
/// <remarks>
/// One object serves both element types: <see cref="Create{T}"/> is generic. Loading a file first asks
/// <see cref="Parameters"/> what the layer will hold and matches that against the data actually in the file, and only
/// then calls <see cref="Create{T}"/>: a hostile file cannot make the loader allocate more than its own size justifies
/// as long as <see cref="Parameters"/> allocates nothing in proportion to the settings. Saving calls
/// <see cref="Create{T}"/> once per layer to check that the kind rebuilds a layer of the same class with the same
/// parameters. Implementations must be thread-safe (they keep no state of their own).
/// <para>Read settings through <see cref="LayerSettings"/>: a setting in a file that the kind neither reads nor asks about
/// (<see cref="LayerSettings.Has"/>), and that the layer it builds does not describe again, makes the load fail, since it
/// would otherwise be dropped unnoticed (a damaged key, or a file written for another version of the layer).</para>
/// </remarks>
public abstract class LayerKind
{
    /// <summary>Creates the kind.</summary>
    /// <param name="name">The kind's name, as the layer's <see cref="ILayer{T}.Describe"/> reports it, e.g. <c>"Swish"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    protected LayerKind(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The kind's name: <see cref="LayerDescription.Kind"/> of every layer it rebuilds.</summary>
    public string Name { get; }

    /// <summary>
    /// The parameters a layer of this description holds, in the order of its <see cref="ILayer{T}.Parameters"/>; none by
    /// default. Read the settings through <paramref name="settings"/>, which throws <see cref="InvalidDataException"/>
    /// naming the file, the layer and the setting for a value that is missing or out of range.
    /// </summary>
    /// <param name="settings">The description's settings.</param>
    public virtual IReadOnlyList<ParameterShape> Parameters(LayerSettings settings) => [];

    /// <summary>
    /// Builds the layer <paramref name="settings"/> describes. Its weights may hold anything (zeros are cheapest): the
    /// loader copies the file's values in afterwards.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="settings">The description's settings.</param>
    public abstract ILayer<T> Create<T>(LayerSettings settings) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name} ('{Name}')";
}
