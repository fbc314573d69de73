namespace NeuralNets.Data;

/// <summary>Reads a stream up to a number of bytes, then stops with an <see cref="InvalidDataException"/> naming the file.</summary>
internal sealed class InflateLimit(Stream inner, long limit, string file) : Stream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        if (_read > limit)
            throw new InvalidDataException($"{file} inflates to more than {limit} bytes (CsvOptions.MaxInflatedBytes); raise the limit if the file is trusted.");
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
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
