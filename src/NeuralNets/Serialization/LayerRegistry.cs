using System.Collections.Concurrent;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// The layer kinds <see cref="ModelFile"/> can rebuild, by name: every built-in layer's, and any a user registers with
/// <see cref="Register"/>. Safe to use from any number of threads.
/// </summary>
/// <remarks>
/// A layer whose <see cref="ILayer{T}.Describe"/> names a kind that is not registered cannot be saved: <see cref="ModelFile.Save{T}"/>
/// refuses it before writing anything, saying how to register it. Register once, at start-up, before saving or loading.
/// </remarks>
public static class LayerRegistry
{
    private static readonly ConcurrentDictionary<string, LayerKind> Kinds = new(
        BuiltInLayerKinds.All.Select(kind => KeyValuePair.Create(kind.Name, kind)), StringComparer.Ordinal);

    /// <summary>Makes layers of <paramref name="kind"/> savable and loadable.</summary>
    /// <remarks>Registering a kind of the same class under the same name again does nothing, so it is safe to call from every test or module initialiser.</remarks>
    /// <param name="kind">The kind.</param>
    /// <exception cref="ArgumentException">Another kind (of another class, or a built-in) holds the name already.</exception>
    public static void Register(LayerKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var holder = Kinds.GetOrAdd(kind.Name, kind);
        if (!ReferenceEquals(holder, kind) && holder.GetType() != kind.GetType())
            throw new ArgumentException(
                $"The layer kind '{kind.Name}' is already registered, by {holder}; {kind} needs a name of its own (the layer's Describe() must report that name too).",
                nameof(kind));
    }

    /// <summary>Whether a kind is registered under <paramref name="name"/>.</summary>
    /// <param name="name">The kind's name, e.g. <c>"Dense"</c>.</param>
    public static bool IsRegistered(string name) => name is not null && Kinds.ContainsKey(name);

    /// <summary>The names of every registered kind, the built-in ones included, in ordinal order.</summary>
    public static IReadOnlyList<string> Names => Kinds.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The parameters the layer described by <paramref name="settings"/> will hold, checked; nothing is allocated in proportion to them.</summary>
    /// <param name="settings">The description being read.</param>
    /// <exception cref="InvalidDataException">The kind is not registered, or a setting is missing or out of range; the message names the layer and the setting.</exception>
    public static IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
    {
        var kind = Find(settings);
        IReadOnlyList<ParameterShape> shapes;
        try
        {
            shapes = kind.Parameters(settings) ?? throw settings.Error($"{kind}.Parameters returned null.");
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw settings.Error(e.Message);
        }
        foreach (var shape in shapes)
        {
            if (string.IsNullOrWhiteSpace(shape.Name) || shape.Shape is null || shape.Shape.Count == 0 || shape.Shape.Any(length => length <= 0))
                throw settings.Error($"{kind} declares the parameter '{shape.Name}' with the shape {(shape.Shape is null ? "null" : ShapeMismatchException.Format(shape.Shape))}; a parameter needs a name and positive lengths.");
        }
        return shapes;
    }

    /// <summary>Builds the layer <paramref name="settings"/> describes (with weights to be filled in), after checking its settings.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="settings">The description being read.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Parameters"/>, or the layer's constructor refused a setting, or the description holds a setting the kind does not read (nor the layer describe again).</exception>
    public static ILayer<T> Create<T>(LayerSettings settings) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Parameters(settings);
        var kind = Find(settings);
        ILayer<T> layer;
        try
        {
            layer = kind.Create<T>(settings) ?? throw settings.Error($"{kind}.Create returned null.");
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw settings.Error(e.Message);
        }
        UnknownSettings.Check(settings, layer);
        return layer;
    }

    /// <summary>Builds the layer <paramref name="description"/> describes (with weights to be filled in).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="description">The layer's kind and settings.</param>
    /// <exception cref="InvalidDataException">The kind is not registered, or a setting is missing, out of range or unknown to the kind.</exception>
    public static ILayer<T> Create<T>(LayerDescription description) where T : unmanaged, IFloatingPointIeee754<T> =>
        Create<T>(new LayerSettings(description));

    private static LayerKind Find(LayerSettings settings) => Kinds.TryGetValue(settings.Kind, out var kind)
        ? kind
        : throw new InvalidDataException(
            $"{settings.Place} has the unknown kind '{settings.Kind}': no LayerKind is registered under that name. A layer of your own is saved and " +
            $"loaded once its kind is registered: write a class deriving from LayerKind (named '{settings.Kind}', rebuilding the layer from its description) " +
            $"and call LayerRegistry.Register(new {Identifier(settings.Kind)}Kind()) before saving or loading (README: \"Writing your own layer\").");

    // The kind's name as the start of a class name in the advice; anything else is left out.
    private static string Identifier(string kind)
    {
        var letters = kind.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray();
        return letters.Length > 0 && char.IsAsciiLetter(letters[0]) ? new string(letters) : "MyLayer";
    }
}
