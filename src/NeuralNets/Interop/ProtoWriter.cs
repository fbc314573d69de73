using System.Text;

namespace NeuralNets.Interop;

/// <summary>
/// Writes the protocol-buffers wire format, only the parts ONNX needs: varints, 64-bit integers,
/// 32-bit floats, length-delimited bytes, strings and nested messages, and packed repeated integers.
/// </summary>
/// <remarks>A nested message is written into a writer of its own and copied in once complete, because its length comes first.</remarks>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>A 64-bit integer field (wire type 0); negative values take ten bytes, as the format requires.</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, ProtoWireType.Varint);
        Varint((ulong)value);
        return this;
    }

    /// <summary>A 32-bit float field (wire type 5).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, ProtoWireType.Fixed32);
        BitConverter.TryWriteBytes(Reserve(4), BitConverter.SingleToUInt32Bits(value));
        return this;
    }

    /// <summary>A length-delimited field holding <paramref name="bytes"/>.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, ProtoWireType.LengthDelimited);
        Varint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
        return this;
    }

    /// <summary>A string field, UTF-8 encoded.</summary>
    public ProtoWriter String(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

    /// <summary>A nested message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.Written);

    /// <summary>A repeated 64-bit integer field in packed form (one length-delimited run of varints).</summary>
    public ProtoWriter PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long value in values) packed.Varint((ulong)value);
        return Bytes(field, packed.Written);
    }

    private void Tag(int field, ProtoWireType wireType) => Varint(((ulong)field << 3) | (ulong)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Reserve(1)[0] = (byte)value;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + count)));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}

/// <summary>The protocol-buffers wire types.</summary>
internal enum ProtoWireType
{
    /// <summary>A base-128 varint.</summary>
    Varint = 0,
    /// <summary>Eight little-endian bytes.</summary>
    Fixed64 = 1,
    /// <summary>A varint length, then that many bytes.</summary>
    LengthDelimited = 2,
    /// <summary>Start of a group (deprecated; refused).</summary>
    StartGroup = 3,
    /// <summary>End of a group (deprecated; refused).</summary>
    EndGroup = 4,
    /// <summary>Four little-endian bytes.</summary>
    Fixed32 = 5,
}
