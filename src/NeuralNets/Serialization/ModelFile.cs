using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Serialization;

/// <summary>
/// Saves and loads a <see cref="Sequential{T}"/>: its input shape, every layer's description and
/// every parameter, in one JSON file (parameters as base64 of little-endian values, so they round-trip
/// bit for bit). A save writes a temporary file, flushes it to disk and moves it into place, so a
/// failed save leaves the old file as it was.
/// </summary>
/// <remarks>
/// Loading treats the file as untrusted: every field is checked, and the parameters the layers imply
/// are matched against the data actually in the file before any layer is built, so a small file
/// cannot make the loader allocate much more than its own size. Every malformed file is reported as an
/// <see cref="InvalidDataException"/> whose message names the file and the field.
/// </remarks>
public static class ModelFile
{
    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/>, replacing it only once the new file is complete.</summary>
    /// <remarks>Also removes temporary files that earlier saves to the same path left behind when they were killed.</remarks>
    /// <exception cref="ArgumentException">
    /// The network was built without an input shape or holds neither float nor double (files hold only those), or
    /// <see cref="Load{T}"/> could not rebuild it: a layer of a kind
    /// no <see cref="LayerKind"/> is registered for (the message says how to register one), or whose registered kind
    /// rebuilds another class or another description; nothing is written then.
    /// </exception>
    public static void Save<T>(Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var document = Document(network, path);
        AtomicFile.Write(Path.GetFullPath(path), stream => JsonSerializer.Serialize(stream, document, ModelJsonContext.Default.ModelDocument));
    }

    /// <summary>The document <see cref="Save{T}"/> writes, after the checks that <see cref="Load{T}"/> could read it back.</summary>
    /// <exception cref="ArgumentException">As <see cref="Save{T}"/>'s.</exception>
    internal static ModelDocument Document<T>(Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ModelDocument.HoldsElementType(typeof(T).Name))
            throw new ArgumentException($"Only float and double networks can be saved (Load reads no other element type); this one holds {typeof(T).Name}.", nameof(network));
        if (network.InputShape is null)
            throw new ArgumentException("Only a network that knows its input shape can be saved: build it with Network.Sequential<T>(inputShape) or new Sequential<T>(inputShape, layers).", nameof(network));
        var document = new ModelDocument(
            ModelDocument.CurrentFormat, typeof(T).Name, network.InputShape.ToArray(),
            network.Layers.Select(l => l.Describe()).ToArray(),
            network.Parameters.Select(p => new ParameterRecord(p.Name, p.Shape.ToArray(), Convert.ToBase64String(MemoryMarshal.AsBytes(p.ValueSpan)))).ToArray());
        string file = $"'{path}'";
        try
        {
            // The loader's own checks, so that whatever is saved can be loaded back.
            for (int i = 0; i < document.Layers.Length; i++)
                WritableSettings(document.Layers[i], string.Create(CultureInfo.InvariantCulture, $"{file}: layer {i}"));
            var readers = Readers(document.Layers, file);
            ParameterCheck.Match(document.Parameters, Expected(readers), Marshal.SizeOf<T>(), file, "the layers' descriptions");
            for (int i = 0; i < readers.Length; i++)
                RebuildsAlike(network.Layers[i], LayerRegistry.Create<T>(readers[i]), readers[i].Place);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"The network cannot be saved because Load could not read it back: {e.Message}", nameof(network), e);
        }
        return document;
    }

    /// <summary>
    /// Checks that a layer's description (inner layers' too) can be written and read back: every number finite (JSON has
    /// no NaN or infinity, and the loader reads finite settings only), every name and text whole UTF-16 (half a surrogate
    /// pair is written as an escape the loader refuses).
    /// </summary>
    private static void WritableSettings(LayerDescription description, string place)
    {
        string named = $"{place} ({Text(description.Kind)})";
        if (!IsWholeUtf16(description.Kind)) throw new InvalidDataException($"{place}'s kind name holds half a surrogate pair; a model file holds whole text only.");
        foreach (var (key, value) in description.Settings)
        {
            CheckName(key, named);
            if (!double.IsFinite(value))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{named} has the setting '{key}' = {value}; a model file holds finite numbers only."));
        }
        foreach (var (key, text) in description.TextSettings)
        {
            CheckName(key, named);
            if (!IsWholeUtf16(text)) throw new InvalidDataException($"{named} has the text setting '{Text(key)}' holding half a surrogate pair; a model file holds whole text only.");
        }
        foreach (var key in description.ListSettings.Keys) CheckName(key, named);
        for (int i = 0; i < description.Layers.Count; i++)
            WritableSettings(description.Layers[i], string.Create(CultureInfo.InvariantCulture, $"{place}.{i}"));

        static void CheckName(string key, string named)
        {
            if (!IsWholeUtf16(key)) throw new InvalidDataException($"{named} has a setting whose name holds half a surrogate pair; a model file holds whole text only.");
        }

        // A name as the message shows it: half a surrogate pair would make the message itself unwritable.
        static string Text(string text) => IsWholeUtf16(text) ? text : "(not whole text)";
    }

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair.</summary>
    private static bool IsWholeUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
            i++;
        }
        return true;
    }

    /// <summary>
    /// Checks that the layer Load would build from <paramref name="layer"/>'s description is of its class and describes
    /// itself the same, inner layers included: a registered kind that builds something else would load another network.
    /// </summary>
    private static void RebuildsAlike<T>(ILayer<T> layer, ILayer<T> rebuilt, string place) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var description = layer.Describe();
        if (rebuilt.GetType() != layer.GetType())
            throw new InvalidDataException(
                $"{place} is a {TypeName(layer.GetType())} of the kind '{description.Kind}', but that kind rebuilds a {TypeName(rebuilt.GetType())}: " +
                "give the layer a kind name of its own (in Describe()) and register a LayerKind under that name that creates it.");
        var again = rebuilt.Describe();
        if (!Covers(again, description))
            throw new InvalidDataException(
                $"{place} describes itself as {description} but its kind rebuilds it as {again}: the LayerKind must read every setting Describe() writes.");
        var (inner, innerRebuilt) = (NestedLayers.Of(layer), NestedLayers.Of(rebuilt));
        for (int i = 0; i < inner.Count; i++)
            RebuildsAlike(inner[i], innerRebuilt[i], string.Create(CultureInfo.InvariantCulture, $"{place}.{i}"));
    }

    /// <summary>
    /// Whether <paramref name="rebuilt"/> has every setting of <paramref name="original"/>, with the same value, and as many inner layers
    /// (compared one by one by the caller). It may have more: a default made explicit, as a dropout layer without a seed is rebuilt with seed 0.
    /// </summary>
    private static bool Covers(LayerDescription rebuilt, LayerDescription original) =>
        rebuilt.Kind == original.Kind && rebuilt.Layers.Count == original.Layers.Count
        && original.Settings.All(kv => rebuilt.Settings.TryGetValue(kv.Key, out double value) && value.Equals(kv.Value))
        && original.TextSettings.All(kv => rebuilt.TextSettings.TryGetValue(kv.Key, out string? value) && value == kv.Value)
        && original.ListSettings.All(kv => rebuilt.ListSettings.TryGetValue(kv.Key, out var value) && value.SequenceEqual(kv.Value));

    private static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name.Split('`')[0]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;

    /// <summary>Reads a network saved by <see cref="Save{T}"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (other file-system errors are the usual <see cref="IOException"/>s).</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed model file, is for another element type, names an unknown layer kind, or its parameters do not fit its layers; the message names the file and the field.</exception>
    public static Sequential<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (document, file) = Read<T>(path, "a network", "; load it with Load<{0}>");
        return Build<T>(document, file);
    }

    /// <summary>Builds the network a document read by <see cref="ModelJson"/> describes, checking its layers and parameters.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Load{T}"/>'s, naming <paramref name="file"/>.</exception>
    internal static Sequential<T> Build<T>(ModelDocument document, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var settings = Readers(document.Layers, file);
        ParameterCheck.Match(document.Parameters, Expected(settings), Marshal.SizeOf<T>(), file, "the layers");
        var layers = new ILayer<T>[document.Layers.Length];
        IReadOnlyList<int> shape = document.InputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = LayerRegistry.Create<T>(settings[i]);
            shape = OutputShape(layers[i], shape, document.Layers[i].Kind, file, i);
        }
        var network = new Sequential<T>(document.InputShape, layers);
        // The layers as built, against the file: a registered kind whose layer holds other parameters than it declared fails here.
        ParameterCheck.Match(document.Parameters, Specs(network.Parameters), Marshal.SizeOf<T>(), file, "the layers as built");
        ParameterCheck.Copy(document.Parameters, network.Parameters, file);
        return network;
    }

    /// <summary>Loads only the parameter values of the file into an existing network of the same architecture (PyTorch's <c>load_state_dict</c>).</summary>
    /// <remarks>All or nothing: every parameter is checked (count, names, shapes, data lengths, element type) before any is changed.</remarks>
    /// <exception cref="FileNotFoundException">The file does not exist (other file-system errors are the usual <see cref="IOException"/>s).</exception>
    /// <exception cref="InvalidDataException">The file is malformed or its parameters do not match the network's; the network is unchanged.</exception>
    public static void LoadParameters<T>(Sequential<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var (document, file) = Read<T>(path, "parameters", "");
        ParameterCheck.Match(document.Parameters, Specs(network.Parameters), Marshal.SizeOf<T>(), file, "the network");
        // Like an optimizer step: a Predict on another thread that overlaps the copy refuses to answer.
        network.BeginTrainingStep();
        try
        {
            ParameterCheck.Copy(document.Parameters, network.Parameters, file);
        }
        finally
        {
            network.EndTrainingStep();
        }
    }

    /// <summary>Reads the file and checks its element type; <paramref name="advice"/> ends that error, <c>{0}</c> standing for the file's type.</summary>
    private static (ModelDocument Document, string File) Read<T>(string path, string what, string advice)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = $"'{path}'";
        var document = ModelJson.Read(path, file);
        if (document.ElementType != typeof(T).Name)
            throw new InvalidDataException($"{file} holds {what} of {document.ElementType}, not {typeof(T).Name}{string.Format(CultureInfo.InvariantCulture, advice, document.ElementType)}.");
        return (document, file);
    }

    /// <summary>The parameters the layer descriptions imply, named as <see cref="Sequential{T}"/> names them.</summary>
    private static ParameterSpec[] Expected(LayerSettings[] layers) =>
        layers.SelectMany((layer, i) => LayerRegistry.Parameters(layer)
            .Select(p => new ParameterSpec(Sequential<double>.ParameterName(i, p.Name), p.Shape))).ToArray();

    internal static ParameterSpec[] Specs<T>(IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> =>
        parameters.Select(p => new ParameterSpec(p.Name, p.Shape)).ToArray();

    /// <summary>One reader per layer, for the parameter check and the build both: a file of many small layers pays for each once.</summary>
    private static LayerSettings[] Readers(IReadOnlyList<LayerDescription> layers, string file)
    {
        var readers = new LayerSettings[layers.Count];
        for (int i = 0; i < readers.Length; i++) readers[i] = new(layers[i], file, ": layer ", i);
        return readers;
    }

    /// <summary>The layer's output shape, or an error naming the layer when it does not fit its input or its output is too large to hold.</summary>
    private static IReadOnlyList<int> OutputShape<T>(ILayer<T> layer, IReadOnlyList<int> input, string kind, string file, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<int> output;
        try
        {
            output = layer.OutputShape(input);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: layer {index} ({kind}) does not fit the output of the layers before it: {e.Message}"), e);
        }
        if (output.Any(length => length <= 0) || ShapeSize.Count(output, int.MaxValue) < 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: layer {index} ({kind}) would output the shape {TensorMemory.ShapeText(output)} per sample."));
        return output;
    }
}
