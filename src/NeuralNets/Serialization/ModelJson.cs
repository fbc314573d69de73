using System.Globalization;
using System.Text.Json;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Reads a model file field by field, so that every malformed field is reported as an
/// <see cref="InvalidDataException"/> naming the file and the field, rather than as whatever a
/// deserializer, a null or a cast would throw. Structure only: whether the layers and parameters make
/// sense together is checked by <see cref="LayerRegistry"/> and <see cref="ParameterCheck"/>.
/// </summary>
internal static class ModelJson
{
    private const int MaxShownLength = 40;

    /// <summary>Reads and parses <paramref name="path"/>; file-system errors pass through unchanged.</summary>
    /// <param name="path">The file.</param>
    /// <param name="file">Names the file in messages, e.g. <c>'model.json'</c>.</param>
    public static ModelDocument Read(string path, string file)
    {
        using var stream = File.OpenRead(path);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not a NeuralNets model file: {e.Message}", e);
        }
        using (json)
        {
            try
            {
                return Parse(json.RootElement, file);
            }
            catch (InvalidOperationException e)
            {
                // Raised when a string holds bytes that are not UTF-8: the parser lets them through until the text is read.
                throw new InvalidDataException($"{file} holds text that is not valid UTF-8.", e);
            }
        }
    }

    /// <summary>Reads a model document from <paramref name="root"/>: a whole file, or the model inside a checkpoint.</summary>
    internal static ModelDocument Parse(JsonElement root, string file)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Format", out var format)
            || format.ValueKind != JsonValueKind.String || !ModelDocument.ReadableFormats.Any(known => format.ValueEquals(known)))
            throw new InvalidDataException($"{file} is not a NeuralNets model file (expected format '{ModelDocument.CurrentFormat}', or an earlier one: {string.Join(", ", ModelDocument.ReadableFormats)}).");

        OnlyFields(root, file, "the model", RootFields);
        string elementType = String(root, "ElementType", file);
        if (!ModelDocument.HoldsElementType(elementType))
            throw new InvalidDataException($"{file}: 'ElementType' must be \"Single\" or \"Double\", was {Show(root.GetProperty("ElementType"))}.");
        int[] inputShape = Lengths(root, "InputShape", file);
        if (ShapeSize.Count(inputShape, int.MaxValue) < 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: 'InputShape' describes more than {int.MaxValue} values per sample."));
        var layers = IndexedItems(root, "Layers", "layer", file, (element, index) => Layer(element, file, index));
        if (layers.Length == 0) throw new InvalidDataException($"{file}: 'Layers' is empty; a network needs at least one layer.");
        var parameters = Items(root, "Parameters", "parameter", file, (element, where) =>
        {
            OnlyFields(element, where, "a parameter", ParameterFields);
            return new ParameterRecord(String(element, "Name", where), Lengths(element, "Shape", where), String(element, "Data", where));
        });
        return new ModelDocument(ModelDocument.CurrentFormat, elementType, inputShape, layers, parameters);
    }

    /// <summary>
    /// Layer <paramref name="index"/> of <paramref name="parent"/>. A layer of a kind and numeric settings, the most common, is read
    /// without making the text of its place, which only a message needs: a file of many small layers paid for its path in each.
    /// </summary>
    private static LayerDescription Layer(JsonElement element, string parent, int index) =>
        Plain(element) ?? Layer(element, Place(parent, "layer", index));

    /// <summary>The layer when it holds a string kind and an object of numeric settings and nothing else; otherwise null, for <see cref="Layer(JsonElement, string)"/> to read and name what is wrong.</summary>
    private static LayerDescription? Plain(JsonElement element)
    {
        if (!element.TryGetProperty("Kind", out var kind) || kind.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("Settings", out var settings) || settings.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var field in element.EnumerateObject())
            if (field.Name is not ("Kind" or "Settings")) return null;
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in settings.EnumerateObject())
        {
            if (!IsNumber(entry.Value, out double number)) return null;
            numbers[entry.Name] = number;
        }
        return new LayerDescription(kind.GetString()!, numbers);
    }

    private static bool IsNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number);
    }

    private static LayerDescription Layer(JsonElement element, string where)
    {
        string kind = String(element, "Kind", where);
        string named = $"{where} ({kind})";
        OnlyFields(element, named, "a layer", LayerFields);
        var numbers = Entries(Field(element, "Settings", where), where, named, "Settings", "an object of numbers",
            (value, name) => IsNumber(value, out double number) ? number : throw Invalid(named, name, "a finite number", value));
        // A field the file leaves out keeps the description's shared empty default: no dictionaries of nothing for each of many layers.
        var description = new LayerDescription(kind, numbers);
        if (element.TryGetProperty("TextSettings", out var textElement))
            description = description with
            {
                TextSettings = Entries(textElement, named, named, "TextSettings", "an object of strings",
                    (value, name) => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(named, name, "a string", value)),
            };
        if (element.TryGetProperty("ListSettings", out var listElement))
            description = description with
            {
                ListSettings = Entries(listElement, named, named, "ListSettings", "an object of integer arrays", (value, name) => (IReadOnlyList<int>)Integers(value, named, name)),
            };
        if (element.TryGetProperty("Layers", out _))
            description = description with { Layers = IndexedItems(element, "Layers", "layer", named, (item, index) => Layer(item, named, index)) };
        return description;
    }

    private static readonly string[] RootFields = ["Format", "ElementType", "InputShape", "Layers", "Parameters"];
    private static readonly string[] LayerFields = ["Kind", "Settings", "TextSettings", "ListSettings", "Layers"];
    private static readonly string[] ParameterFields = ["Name", "Shape", "Data"];

    /// <summary>
    /// Refuses a field <paramref name="owner"/> (<paramref name="what"/>) does not have: a misspelt or damaged name would
    /// otherwise be dropped, and with it what it held (a nested network's list settings, say), as if never written.
    /// </summary>
    private static void OnlyFields(JsonElement owner, string where, string what, string[] known)
    {
        foreach (var field in owner.EnumerateObject())
            if (Array.IndexOf(known, field.Name) < 0)
                throw new InvalidDataException($"{where}: '{Cut(field.Name)}' is not a field of {what} (its fields are {string.Join(", ", known)}).");
    }

    private static string Cut(string text) => text.Length <= MaxShownLength ? text : text[..MaxShownLength] + "…";

    /// <summary>An object field read entry by entry; messages name an entry <c>Field.name</c>.</summary>
    internal static Dictionary<string, TValue> Entries<TValue>(JsonElement owner, string where, string named, string field, string what, Func<JsonElement, string, TValue> read)
    {
        if (owner.ValueKind != JsonValueKind.Object) throw Invalid(where, field, what, owner);
        var entries = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var entry in owner.EnumerateObject())
            entries[entry.Name] = read(entry.Value, $"{field}.{entry.Name}");
        return entries;
    }

    /// <summary>An array of 32-bit integers (any sign: the layer kind checks what it reads).</summary>
    private static int[] Integers(JsonElement array, string where, string name)
    {
        if (array.ValueKind != JsonValueKind.Array) throw Invalid(where, name, "an array of integers", array);
        var values = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out values[i]))
                throw Invalid(where, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), "a 32-bit integer", element);
            i++;
        }
        return values;
    }

    /// <summary>An array field of objects read by <paramref name="item"/>; messages call them <paramref name="noun"/> 0, 1…</summary>
    internal static TItem[] Items<TItem>(JsonElement owner, string name, string noun, string file, Func<JsonElement, string, TItem> item) =>
        IndexedItems(owner, name, noun, file, (element, index) => item(element, Place(file, noun, index)));

    /// <summary>As <see cref="Items"/>, but <paramref name="item"/> gets the object's index, to make its place's text (<see cref="Place"/>) only if it needs it.</summary>
    private static TItem[] IndexedItems<TItem>(JsonElement owner, string name, string noun, string file, Func<JsonElement, int, TItem> item)
    {
        var array = Field(owner, name, file);
        if (array.ValueKind != JsonValueKind.Array) throw Invalid(file, name, "an array", array);
        var items = new TItem[array.GetArrayLength()];
        int i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{Place(file, noun, i)} must be an object, was {Show(element)}.");
            items[i] = item(element, i);
            i++;
        }
        return items;
    }

    /// <summary>Item <paramref name="index"/> of <paramref name="parent"/> in messages, e.g. <c>'model.json': layer 3</c>.</summary>
    private static string Place(string parent, string noun, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}: {noun} {index}");

    /// <summary>A non-empty array of positive 32-bit integers, such as a shape.</summary>
    internal static int[] Lengths(JsonElement owner, string name, string where)
    {
        var array = Field(owner, name, where);
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            throw Invalid(where, name, "a non-empty array of positive integers", array);
        var lengths = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out lengths[i]) || lengths[i] <= 0)
                throw Invalid(where, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), "a positive integer", element);
            i++;
        }
        return lengths;
    }

    internal static string String(JsonElement owner, string name, string where)
    {
        var element = Field(owner, name, where);
        return element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Invalid(where, name, "a string", element);
    }

    internal static JsonElement Field(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{where} lacks the field '{name}'.");

    internal static InvalidDataException Invalid(string where, string name, string what, JsonElement actual) =>
        new($"{where}: '{name}' must be {what}, was {Show(actual)}.");

    /// <summary>The value as the message shows it: numbers as read, long text cut short.</summary>
    internal static string Show(JsonElement element)
    {
        string text = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => $"an array of {element.GetArrayLength().ToString(CultureInfo.InvariantCulture)}",
            JsonValueKind.Number when element.TryGetDouble(out double value) => value.ToString(CultureInfo.InvariantCulture),
            _ => element.GetRawText(),
        };
        return text.Length <= MaxShownLength ? text : text[..MaxShownLength] + "…";
    }
}
