using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST, raw or gzip-compressed
/// (recognised by the gzip magic bytes <c>1f 8b</c>, whatever the file is called).
/// </summary>
/// <remarks>
/// An IDX file is a 4-byte magic number <c>00 00 tt nn</c> (<c>tt</c> the element type, <c>08</c> for
/// unsigned byte; <c>nn</c> the number of dimensions), then each dimension as a big-endian 32-bit
/// integer, then the values in row-major order. The reader insists that the values fill the file
/// exactly: a truncated download or a header that disagrees with the data is an error, not a
/// silently shorter dataset.
/// <para>
/// Files are treated as untrusted: the header is read first, and the values are allocated only as far
/// as the file can back them. A raw file's length is compared with the header before allocating; a
/// gzipped file is inflated as a stream and its buffer grows only as bytes arrive, so a small file
/// whose header (or compressed data) claims gigabytes fails with an <see cref="InvalidDataException"/>
/// having allocated a small multiple of what it really held, and nothing past the declared values is
/// inflated. A stream that cannot seek is first copied whole, as it is (still compressed if gzipped).
/// </para>
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    // The first buffer for values of unknown length; it doubles as they arrive.
    private const int FirstChunk = 1 << 16;

    /// <summary>Reads the IDX file at <paramref name="path"/>, raw or gzipped.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes; the message says what is wrong.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/>, raw or gzipped.</summary>
    /// <param name="stream">The file's bytes, from its first byte.</param>
    /// <param name="name">What to call the file in error messages.</param>
    /// <exception cref="InvalidDataException">The data is not a well-formed IDX file of unsigned bytes; the message says what is wrong.</exception>
    public static IdxArray Read(Stream stream, string name = "IDX stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            // Detecting gzip means looking at two bytes and starting again.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long start = stream.Position;
        Span<byte> signature = stackalloc byte[2];
        int seen = stream.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        stream.Position = start;
        if (seen == 2 && signature[0] == 0x1f && signature[1] == 0x8b)
        {
            // Inflated as a stream, header first, so that the header bounds what is inflated and
            // the bytes that really arrive bound what is allocated.
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return ReadIdx(gzip, name, raw: false);
        }
        return ReadIdx(stream, name, raw: true);
    }

    /// <summary>Reads header and values; <paramref name="raw"/> when <paramref name="stream"/> is seekable, so that its length is known.</summary>
    private static IdxArray ReadIdx(Stream stream, string name, bool raw)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, name, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: not an IDX file: the magic number must start with 00 00 but starts with {magic[0]:x2} {magic[1]:x2}."));
        if (magic[2] != UnsignedByteType)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: element type code 0x{magic[2]:x2} ({TypeName(magic[2])}) is not supported; MNIST-format files hold unsigned bytes (0x08)."));
        int rank = magic[3];
        if (rank == 0) throw new InvalidDataException($"{name}: the header declares 0 dimensions; an IDX array needs at least one.");

        var header = new byte[4 * rank];
        ReadExactly(stream, header, name, string.Create(CultureInfo.InvariantCulture, $"the {rank} dimension lengths the header declares"));
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint dimension = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (dimension == 0 || dimension > int.MaxValue)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: dimension {i} has length {dimension}; every length must lie in [1, {int.MaxValue}]."));
            shape[i] = (int)dimension;
            // Both factors are at most 2³¹, so the product cannot overflow before this check stops it.
            count *= dimension;
            if (count > Array.MaxLength)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: the dimensions [{string.Join(", ", shape[..(i + 1)].Select(length => length.ToString(CultureInfo.InvariantCulture)))}...] describe more than {Array.MaxLength} values."));
        }

        // A raw file's length is known: compare before allocating anything.
        long available = raw ? stream.Length - stream.Position : count;
        if (available != count)
            throw available < count ? Truncated(name, shape, count, available) : TooLong(name, shape, count);
        var data = ReadValues(stream, name, shape, (int)count);
        Span<byte> extra = stackalloc byte[1];
        if (Fill(stream, extra, name) > 0) throw TooLong(name, shape, count);
        return new IdxArray(shape, data);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> values, growing the buffer as bytes arrive instead of
    /// trusting the header: a small gzip file that claims gigabytes fails as truncated having allocated
    /// at most about four times what it really held (the last buffer at most twice, the outgrown ones as much again).
    /// </summary>
    private static byte[] ReadValues(Stream stream, string name, int[] shape, int count)
    {
        var data = new byte[Math.Min(count, FirstChunk)];
        int filled = 0;
        while (true)
        {
            filled += Fill(stream, data.AsSpan(filled), name);
            if (filled < data.Length) throw Truncated(name, shape, count, filled);
            if (filled == count) return data;
            Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string name, string what)
    {
        int read = Fill(stream, destination, name);
        if (read < destination.Length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: truncated: the file ends after {read} of the {destination.Length} bytes of {what}."));
    }

    /// <summary>Reads until <paramref name="destination"/> is full or the data ends; returns the bytes read.</summary>
    private static int Fill(Stream stream, Span<byte> destination, string name)
    {
        try
        {
            return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // Only the gzip decoder throws this while reading, so it always means corrupt compressed data.
            throw new InvalidDataException($"{name}: the gzip data is corrupt ({e.Message}).", e);
        }
    }

    private static InvalidDataException Truncated(string name, int[] shape, long count, long held) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{name}: truncated: the header declares shape {TensorMemory.ShapeText(shape)} = {count} values but the file holds only {held}."));

    private static InvalidDataException TooLong(string name, int[] shape, long count) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{name}: the header declares shape {TensorMemory.ShapeText(shape)} = {count} values but the file holds more data after them."));

    private static string TypeName(byte code) => code switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };
}
