using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NeuralNets.Interop;

/// <summary>
/// Reads the protocol-buffers wire format from untrusted bytes. Every length is checked against the bytes
/// that remain before anything is sliced or allocated, nesting is bounded, and every failure is an
/// <see cref="InvalidDataException"/> naming where in the file it happened and which field.
/// </summary>
/// <remarks>Slices share the underlying buffer: reading a large <c>raw_data</c> copies nothing.</remarks>
internal struct ProtoReader
{
    /// <summary>The deepest nesting accepted; ONNX's messages as read here go six deep.</summary>
    public const int MaxDepth = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _depth;
    private int _position;

    // Where the message is, kept in parts and joined only when needed (an error, or a message nested in this one):
    // a file of a million tiny messages would otherwise pay for a million strings that are never read.
    private readonly string _outer;
    private readonly string? _field;
    private readonly int _index;
    private string? _where;

    /// <summary>A reader over one message.</summary>
    /// <param name="data">The message's bytes.</param>
    /// <param name="where">Names the message in errors, e.g. <c>'model.onnx': ModelProto</c>.</param>
    public ProtoReader(ReadOnlyMemory<byte> data, string where) : this(data, where, null, -1, 0) { }

    private ProtoReader(ReadOnlyMemory<byte> data, string outer, string? field, int index, int depth)
    {
        _data = data;
        _outer = outer;
        _field = field;
        _index = index;
        _depth = depth;
        if (depth > MaxDepth) throw Invalid(string.Create(CultureInfo.InvariantCulture, $"nests messages more than {MaxDepth} deep"));
    }

    /// <summary>Names this message in errors, e.g. <c>'model.onnx': ModelProto > graph > node 3</c>.</summary>
    public string Where => _where ??= _field is null ? _outer
        : _index < 0 ? $"{_outer} > {_field}"
        : string.Create(CultureInfo.InvariantCulture, $"{_outer} > {_field} {_index}");

    /// <summary>The wire type of the field just read by <see cref="NextField"/>.</summary>
    public ProtoWireType WireType { get; private set; }

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool NextField(out int field)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            return false;
        }
        ulong tag = Varint("a field tag");
        if (tag >> 3 is 0 or > int.MaxValue >> 3) throw Invalid(string.Create(CultureInfo.InvariantCulture, $"holds the invalid field number {tag >> 3}"));
        field = (int)(tag >> 3);
        WireType = (ProtoWireType)(tag & 7);
        if (WireType is ProtoWireType.StartGroup or ProtoWireType.EndGroup or > ProtoWireType.Fixed32)
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"field {field} has the wire type {(int)WireType}, which ONNX never uses"));
        return true;
    }

    /// <summary>An integer field (int32, int64 or enum).</summary>
    public long Int64(string name)
    {
        Expect(ProtoWireType.Varint, name);
        return (long)Varint(name);
    }

    /// <summary>A 32-bit float field.</summary>
    public float Float(string name)
    {
        Expect(ProtoWireType.Fixed32, name);
        return BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(Take(4, name).Span));
    }

    /// <summary>A length-delimited field's bytes, sharing the buffer.</summary>
    public ReadOnlyMemory<byte> Bytes(string name)
    {
        Expect(ProtoWireType.LengthDelimited, name);
        ulong length = Varint(name);
        int remaining = _data.Length - _position;
        if (length > (ulong)remaining)
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"field '{name}' claims {length} bytes but only {remaining} remain"));
        return Take((int)length, name);
    }

    /// <summary>A UTF-8 string field.</summary>
    public string String(string name)
    {
        var bytes = Bytes(name);
        try
        {
            return StrictUtf8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{Where}: field '{name}' is not valid UTF-8.", e);
        }
    }

    /// <summary>A nested message field, read by a reader of its own.</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="label">Names the nested message in errors, e.g. <c>graph</c>.</param>
    public ProtoReader Message(string name, string label) => new(Bytes(name), Where, label, -1, _depth + 1);

    /// <summary>One of a repeated message field's messages, read by a reader of its own; errors name it by field and position, e.g. <c>node 3</c>.</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="index">The message's position among the field's messages so far.</param>
    public ProtoReader Message(string name, int index) => new(Bytes(name), Where, name, index, _depth + 1);

    /// <summary>Adds a repeated integer field's values, packed or not, to <paramref name="values"/>.</summary>
    public void Int64s(string name, List<long> values)
    {
        if (WireType == ProtoWireType.Varint)
        {
            values.Add((long)Varint(name));
            return;
        }
        // Read in place, within the field's bytes (Bytes has checked their length and moved past them): a reader of its
        // own would need this message's place as a string.
        int length = Bytes(name).Length;
        int end = _position;
        for (int position = end - length; position < end;) values.Add((long)Varint(name, ref position, end));
    }

    /// <summary>Adds a repeated float field's values, packed or not, to <paramref name="values"/>.</summary>
    public void Floats(string name, List<float> values)
    {
        if (WireType == ProtoWireType.Fixed32)
        {
            values.Add(Float(name));
            return;
        }
        var bytes = Bytes(name).Span;
        if (bytes.Length % 4 != 0) throw Invalid(string.Create(CultureInfo.InvariantCulture, $"packed field '{name}' holds {bytes.Length} bytes, not a whole number of floats"));
        for (int i = 0; i < bytes.Length; i += 4) values.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
    }

    /// <summary>Adds a repeated double field's values, packed or not, to <paramref name="values"/>.</summary>
    public void Doubles(string name, List<double> values)
    {
        if (WireType == ProtoWireType.Fixed64)
        {
            values.Add(BinaryPrimitives.ReadDoubleLittleEndian(Take(8, name).Span));
            return;
        }
        var bytes = Bytes(name).Span;
        if (bytes.Length % 8 != 0) throw Invalid(string.Create(CultureInfo.InvariantCulture, $"packed field '{name}' holds {bytes.Length} bytes, not a whole number of doubles"));
        for (int i = 0; i < bytes.Length; i += 8) values.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
    }

    /// <summary>Skips a field this reader does not use.</summary>
    public void Skip(int field)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"field {field}");
        switch (WireType)
        {
            case ProtoWireType.Varint: Varint(name); break;
            case ProtoWireType.Fixed64: Take(8, name); break;
            case ProtoWireType.Fixed32: Take(4, name); break;
            default: Bytes(name); break;
        }
    }

    /// <summary>An error naming this message: <c>{Where}: {problem}.</c></summary>
    public InvalidDataException Invalid(string problem) => new($"{Where}: {problem}.");

    private void Expect(ProtoWireType wireType, string name)
    {
        if (WireType != wireType) throw Invalid(string.Create(CultureInfo.InvariantCulture, $"field '{name}' has the wire type {(int)WireType}, expected {(int)wireType}"));
    }

    private ReadOnlyMemory<byte> Take(int count, string name)
    {
        if (count > _data.Length - _position)
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"field '{name}' needs {count} bytes but only {_data.Length - _position} remain"));
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private ulong Varint(string name) => Varint(name, ref _position, _data.Length);

    /// <summary>The varint at <paramref name="position"/>, which must end before <paramref name="end"/>.</summary>
    private ulong Varint(string name, ref int position, int end)
    {
        var span = _data.Span;
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= end) throw Invalid($"field '{name}' ends inside a varint");
            byte b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Invalid($"field '{name}' holds a varint longer than ten bytes");
    }
}
