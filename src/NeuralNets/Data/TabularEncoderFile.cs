using System.Globalization;
using System.Text.Json;
using NeuralNets.Serialization;

namespace NeuralNets.Data;

/// <summary>
/// The JSON file of a <see cref="TabularEncoder"/>. Loading treats it as untrusted, as <see cref="ModelFile"/> does:
/// its size is checked before it is read, and every field is checked, each problem reported as an
/// <see cref="InvalidDataException"/> naming the file and the field. Saving writes a temporary file and moves it into place.
/// </summary>
internal static class TabularEncoderFile
{
    public const string Format = "NeuralNets.TabularEncoder/1";

    /// <summary>Far above any real encoder (a 1,000-column table with 1,000 categories each is about 10 MB).</summary>
    public const long MaxBytes = 64L << 20;

    private const int MaxShownLength = 40;

    public static void Save(TabularEncoder encoder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(Path.GetFullPath(path), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("Format", Format);
            json.WriteString("UnknownCategories", encoder.UnknownCategories.ToString());
            json.WriteStartArray("Features");
            foreach (var column in encoder.Columns)
            {
                json.WriteStartObject();
                json.WriteString("Name", column.Name);
                if (column.Categories is { } categories)
                {
                    json.WriteString("Kind", "Category");
                    WriteStrings(json, "Categories", categories);
                }
                else
                {
                    json.WriteString("Kind", "Number");
                    json.WriteNumber("Mean", column.Mean);
                    json.WriteNumber("Scale", column.Scale);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (encoder.LabelName is null) json.WriteNull("Label");
            else
            {
                json.WriteStartObject("Label");
                json.WriteString("Name", encoder.LabelName);
                json.WriteString("Kind", encoder.LabelKind.ToString());
                if (encoder.Classes is { } classes) WriteStrings(json, "Classes", classes);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    public static TabularEncoder Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = $"'{path}'";
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxBytes)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file} is {stream.Length} bytes; an encoder file is at most {MaxBytes} bytes."));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not a NeuralNets encoder file: {e.Message}", e);
        }
        using (document)
        {
            try
            {
                return Parse(document.RootElement, file);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException($"{file} holds text that is not valid UTF-8.", e);
            }
        }
    }

    private static TabularEncoder Parse(JsonElement root, string file)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Format", out var format)
            || format.ValueKind != JsonValueKind.String || !format.ValueEquals(Format))
            throw new InvalidDataException($"{file} is not a NeuralNets encoder file (expected format '{Format}').");
        var policy = Enum<UnknownCategoryPolicy>(root, "UnknownCategories", file);
        var features = Field(root, "Features", file);
        if (features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
            throw Invalid(file, "Features", "a non-empty array", features);
        var columns = new EncodedColumn[features.GetArrayLength()];
        int f = 0;
        foreach (var feature in features.EnumerateArray())
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{file}: Features[{f}]");
            if (feature.ValueKind != JsonValueKind.Object) throw Invalid(file, string.Create(CultureInfo.InvariantCulture, $"Features[{f}]"), "an object", feature);
            string name = String(feature, "Name", where);
            string kind = String(feature, "Kind", where);
            columns[f++] = kind switch
            {
                "Number" => new EncodedColumn(name, Number(feature, "Mean", where, positive: false), Number(feature, "Scale", where, positive: true), null),
                "Category" => new EncodedColumn(name, 0, 1, DistinctStrings(feature, "Categories", where, minimum: 1)),
                _ => throw Invalid(where, "Kind", "\"Number\" or \"Category\"", feature.GetProperty("Kind")),
            };
        }
        var label = Field(root, "Label", file);
        if (label.ValueKind == JsonValueKind.Null) return new TabularEncoder(columns, null, null, null, policy);
        if (label.ValueKind != JsonValueKind.Object) throw Invalid(file, "Label", "an object or null", label);
        string labelWhere = $"{file}: Label";
        string labelName = String(label, "Name", labelWhere);
        var labelKind = Enum<CsvLabelKind>(label, "Kind", labelWhere);
        string[]? classes = labelKind == CsvLabelKind.Category ? DistinctStrings(label, "Classes", labelWhere, minimum: 2) : null;
        return new TabularEncoder(columns, labelName, labelKind, classes, policy);
    }

    private static JsonElement Field(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{where}: the field '{name}' is missing.");

    private static string String(JsonElement owner, string name, string where)
    {
        var value = Field(owner, name, where);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw Invalid(where, name, "a non-empty string", value);
    }

    private static TEnum Enum<TEnum>(JsonElement owner, string name, string where) where TEnum : struct, Enum
    {
        var value = Field(owner, name, where);
        string expected = string.Join(" or ", System.Enum.GetNames<TEnum>().Select(n => $"\"{n}\""));
        return value.ValueKind == JsonValueKind.String && System.Enum.TryParse<TEnum>(value.GetString(), ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed)
            && System.Enum.GetName(parsed) == value.GetString()
            ? parsed
            : throw Invalid(where, name, expected, value);
    }

    private static double Number(JsonElement owner, string name, string where, bool positive)
    {
        var value = Field(owner, name, where);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number) && (!positive || number > 0))
            return number;
        throw Invalid(where, name, positive ? "a finite positive number" : "a finite number", value);
    }

    private static string[] DistinctStrings(JsonElement owner, string name, string where, int minimum)
    {
        var value = Field(owner, name, where);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < minimum)
            throw Invalid(where, name, string.Create(CultureInfo.InvariantCulture, $"an array of at least {minimum} strings"), value);
        var result = new string[value.GetArrayLength()];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Invalid(where, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), "a string", item);
            result[i] = item.GetString()!;
            if (!seen.Add(result[i])) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: {name}[{i}] repeats '{Shorten(result[i])}'."));
            i++;
        }
        return result;
    }

    private static InvalidDataException Invalid(string where, string field, string expected, JsonElement value) =>
        new($"{where}: '{field}' must be {expected}, was {Show(value)}.");

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Array => string.Create(CultureInfo.InvariantCulture, $"an array of {value.GetArrayLength()}"),
        JsonValueKind.Object => "an object",
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= MaxShownLength ? text : text[..MaxShownLength] + "…";
}
