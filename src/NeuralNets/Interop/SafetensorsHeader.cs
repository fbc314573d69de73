using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using NeuralNets.Tensors;

namespace NeuralNets.Interop;

/// <summary>One tensor of a safetensors file as its header describes it; offsets are relative to the start of the data.</summary>
internal sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>
    /// Bytes per value of each dtype of the format whose values fill whole bytes (the format's sub-byte types, F4 and the
    /// F6s, are not read), or 0. Every one is read, so that a tensor the network does not take (an int64 buffer, a mask
    /// of bools) can be left aside with strict: false; only the floats load into parameters.
    /// </summary>
    public static int Size(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" or "C64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F8_E4M3FNUZ" or "F8_E5M2FNUZ" => 1,
        _ => 0,
    };

    /// <summary>Whether values of <paramref name="dtype"/> load into parameters and running statistics (converted to the network's type).</summary>
    public static bool IsFloat(string dtype) => dtype is "F64" or "F32" or "F16" or "BF16";

    /// <summary>The dtypes that load into parameters, for messages.</summary>
    public const string FloatDTypes = "F64, F32, F16 or BF16";

    /// <summary>The values as <typeparamref name="T"/>, of a float dtype (<see cref="IsFloat"/>); the header check has matched the byte range to the shape.</summary>
    /// <param name="data">The file's data, after the header.</param>
    /// <param name="source">Names the file in messages.</param>
    /// <exception cref="InvalidDataException">A finite F64 value lies beyond <typeparamref name="T"/>'s range.</exception>
    public T[] Decode<T>(ReadOnlySpan<byte> data, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bytes = data[(int)Begin..(int)End];
        var values = new T[bytes.Length / Size(DType)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DType switch
            {
                "F64" => Narrowed<T>(BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]), i, source),
                "F32" => T.CreateChecked(BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..])),
                "F16" => T.CreateChecked((float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..])),
                // bfloat16 is the top half of a float.
                _ => T.CreateChecked(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16)),
            };
        }
        return values;
    }

    /// <summary>The value of an I64 scalar, such as BatchNorm's <c>num_batches_tracked</c> (the header check has matched its 8 bytes).</summary>
    /// <param name="data">The file's data, after the header.</param>
    public long DecodeInt64(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadInt64LittleEndian(data[(int)Begin..(int)End]);

    /// <summary>
    /// <paramref name="value"/> as <typeparamref name="T"/>. A conversion to float rounds a value beyond its range to
    /// infinity without an error; that would be a different weight, so it is refused (the file's own infinities and NaNs
    /// pass as they are, and a value too small for float rounds to zero as any narrowing rounds).
    /// </summary>
    private T Narrowed<T>(double value, int index, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var narrowed = T.CreateChecked(value);
        return T.IsFinite(narrowed) || !double.IsFinite(value) ? narrowed
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: tensor '{Name}' holds {value} at index {index}, beyond the range of {typeof(T).Name}; load it into a network of double."));
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}

/// <summary>Reads and checks a safetensors header against the bytes of its file.</summary>
internal static class SafetensorsHeader
{
    /// <summary>Where the data starts: after the 8-byte length and the header (already checked by <see cref="Read"/>).</summary>
    public static int DataStart(ReadOnlySpan<byte> file) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

    /// <summary>
    /// The tensors the header lists, each checked: a known dtype, non-negative dimensions, offsets inside the data whose
    /// length is exactly what the shape needs, and the ranges covering the data without overlap or gap.
    /// </summary>
    public static List<SafetensorsEntry> Read(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < 8) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source} is {file.Length} bytes long; a safetensors file starts with an 8-byte header length."));
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8) || headerLength > SafetensorsFile.MaxHeaderLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: the header length is {headerLength} bytes, but the file holds {file.Length - 8} after it (and at most {SafetensorsFile.MaxHeaderLength} are accepted)."));
        var header = file.Slice(8, (int)headerLength);
        long dataLength = file.Length - 8 - (long)headerLength;
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the header is not valid JSON: {e.Message}", e);
        }
        using (json)
        {
            try
            {
                return Entries(json.RootElement, dataLength, source);
            }
            catch (InvalidOperationException e)
            {
                // Raised when a name or a string holds bytes that are not UTF-8 (or an escaped lone surrogate): the parser
                // lets them through until the text is read.
                throw new InvalidDataException($"{source}: the header holds text that is not valid UTF-8.", e);
            }
        }
    }

    /// <summary>The tensors the header lists, each checked (see <see cref="Read"/>).</summary>
    private static List<SafetensorsEntry> Entries(JsonElement root, long dataLength, string source)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: the header must be a JSON object.");
        var entries = new List<SafetensorsEntry>();
        var names = new HashSet<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name)) throw new InvalidDataException($"{source}: the header names '{property.Name}' twice.");
            if (property.Name == "__metadata__")
            {
                if (property.Value.ValueKind != JsonValueKind.Object || property.Value.EnumerateObject().Any(m => m.Value.ValueKind != JsonValueKind.String))
                    throw new InvalidDataException($"{source}: '__metadata__' must be an object of strings.");
                continue;
            }
            entries.Add(Entry(property, dataLength, source));
        }
        // The format wants the data covered exactly, as the reference reader checks: no overlap, and no byte that no
        // tensor holds (which would let a file be another file too, a polyglot).
        long end = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < end)
                throw new InvalidDataException($"{source}: the tensors '{previous!.Name}' and '{entry.Name}' overlap in the data.");
            if (entry.Begin > end) throw Uncovered(end, entry.Begin, source);
            (end, previous) = (entry.End, entry);
        }
        return end == dataLength ? entries : throw Uncovered(end, dataLength, source);
    }

    private static InvalidDataException Uncovered(long begin, long end, string source) => new(string.Create(CultureInfo.InvariantCulture,
        $"{source}: the header leaves the {end - begin} bytes of data between {begin} and {end} that no tensor holds; the format wants every byte of the data in a tensor."));

    private static SafetensorsEntry Entry(JsonProperty property, long dataLength, string source)
    {
        string where = $"{source}: tensor '{property.Name}'";
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} must be an object with dtype, shape and data_offsets.");
        string dtype = value.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()!
            : throw new InvalidDataException($"{where} lacks a string 'dtype'.");
        int size = SafetensorsEntry.Size(dtype);
        if (size == 0) throw new InvalidDataException($"{where} has the dtype '{dtype}', which this reader does not know (it reads the format's types of one or more bytes per value).");
        long[] shape = Integers(value, "shape", where, count: null);
        long[] offsets = Integers(value, "data_offsets", where, count: 2);
        long values = 1;
        foreach (long length in shape)
            values = length == 0 || values <= dataLength / length ? values * length : dataLength + 1;
        if (offsets[0] > offsets[1] || offsets[1] > dataLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where} has data_offsets [{offsets[0]}, {offsets[1]}] outside the {dataLength} bytes of data."));
        if (values > dataLength || offsets[1] - offsets[0] != values * size)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where} is {TensorMemory.ShapeText(shape)} {dtype} but its data_offsets span {offsets[1] - offsets[0]} bytes."));
        return new SafetensorsEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement owner, string name, string where, int? count)
    {
        if (!owner.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array || (count is { } n && array.GetArrayLength() != n))
            throw new InvalidDataException($"{where} lacks '{name}' as an array{(count is { } c ? string.Create(CultureInfo.InvariantCulture, $" of {c}") : "")} of non-negative integers.");
        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var element in array.EnumerateArray())
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out result[i++]) || result[i - 1] < 0)
                throw new InvalidDataException($"{where}: '{name}' must hold non-negative integers, had {element.GetRawText()}.");
        return result;
    }
}
