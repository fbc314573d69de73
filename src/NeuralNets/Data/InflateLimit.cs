using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace NeuralNets.Data;

/// <summary>
/// Inflates a gzip file up to a number of bytes, then stops with an <see cref="InvalidDataException"/> naming the file;
/// damaged gzip data is reported naming the file too, with the inflater's own error inside.
/// At the end it checks the inflated length against the size in the gzip trailer: .NET's <see cref="GZipStream"/>
/// ends a truncated file without an error, and a CSV cut short would otherwise lose its last rows silently.
/// </summary>
/// <remarks>
/// The limit is applied to the trailer's size before anything is inflated, and the trailer's size is held to while
/// inflating. Counting inflated bytes alone let the memory go first: the reader turns every four bytes of <c>1,2\n</c>
/// into some thirty bytes of table, so a file stopped at a 256 MB limit had already cost 2 GB.
/// </remarks>
internal sealed class InflateLimit : Stream
{
    private readonly GZipStream _inner;
    private readonly long _limit;
    private readonly string _file;
    private readonly uint _trailerSize;
    private readonly long _expected;  // the one inflated size the limit and the trailer allow, or long.MaxValue when several are possible
    private long _read;

    /// <summary>Opens <paramref name="path"/> as a single-member gzip file.</summary>
    public InflateLimit(string path, long limit)
    {
        _file = $"'{path}'";
        _limit = limit;
        var file = File.OpenRead(path);
        try
        {
            // A gzip member is at least a 10-byte header and an 8-byte trailer (CRC-32, then the size modulo 2^32, little-endian).
            if (file.Length < 18) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file} is {file.Length} bytes: too short to be a gzip file."));
            Span<byte> size = stackalloc byte[4];
            file.Seek(-4, SeekOrigin.End);
            file.ReadExactly(size);
            file.Seek(0, SeekOrigin.Begin);
            _trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(size);
            // The trailer holds the size modulo 2^32, so the true size is the trailer's plus a multiple of 2^32.
            if (_trailerSize > limit)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{_file} inflates to more than {limit} bytes (CsvOptions.MaxInflatedBytes): its gzip trailer gives {_trailerSize}; raise the limit if the file is trusted."));
            _expected = limit - _trailerSize < 1L << 32 ? _trailerSize : long.MaxValue;
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _inner = new GZipStream(file, CompressionMode.Decompress);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // The inflater's message ("an unsupported compression method", say) names neither the file nor the damage.
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}: the gzip data is damaged after {_read} inflated bytes: {e.Message}"), e);
        }
        _read += n;
        if (_read > _limit)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file} inflates to more than {_limit} bytes (CsvOptions.MaxInflatedBytes); raise the limit if the file is trusted."));
        if (_read > _expected)
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"{_file} inflates past the {_trailerSize} bytes its gzip trailer gives: the file is corrupt ") +
                "(or holds several gzip members, which is not supported: inflate it first).");
        if (n == 0 && buffer.Length > 0 && (uint)_read != _trailerSize)
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"{_file} ends after {_read} inflated bytes, but its gzip trailer says {_trailerSize} (modulo 2^32): the file is truncated or corrupt ") +
                "(or holds several gzip members, which is not supported: inflate it first).");
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
