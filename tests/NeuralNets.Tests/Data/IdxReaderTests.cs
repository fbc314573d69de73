using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

public class IdxReaderTests
{
    private static readonly byte[] Values = [0, 1, 2, 127, 128, 200, 254, 255, 9, 10, 11, 12];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_WrittenFile_RoundTrips(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = IdxFiles.Write(dir.File("a-idx3-ubyte"), IdxFiles.Bytes([2, 3, 2], Values), gzip);

        var array = IdxReader.Read(path);

        array.Shape.Should().Equal(2, 3, 2);
        array.Data.Should().Equal(Values);
    }

    [Fact]
    public void Read_GzippedFileWithoutGzName_DetectsGzipByMagic()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain-name");
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Bytes([12], Values)));

        IdxReader.Read(path).Data.Should().Equal(Values);
    }

    [Fact]
    public void Read_NonSeekableGzipStream_RoundTrips()
    {
        using var stream = new ForwardOnlyStream(IdxFiles.Gzip(IdxFiles.Bytes([4, 3], Values)));

        var array = IdxReader.Read(stream);

        array.Shape.Should().Equal(4, 3);
        array.Data.Should().Equal(Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TruncatedData_ThrowsNamingBothCounts(bool gzip)
    {
        var bytes = IdxFiles.Bytes([2, 3, 2], Values)[..^5];
        var act = () => IdxReader.Read(new MemoryStream(gzip ? IdxFiles.Gzip(bytes) : bytes), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("x.idx: truncated*[2, 3, 2]*12 values*only 7*");
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var bytes = IdxFiles.Bytes([60000, 28, 28], [])[..10];
        var act = () => IdxReader.Read(new MemoryStream(bytes), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*truncated*6 of the 12 bytes*3 dimension lengths*");
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        var act = () => IdxReader.Read(new MemoryStream([]), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*truncated*0 of the 4 bytes of the 4-byte magic number*");
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        var bytes = IdxFiles.Bytes([12], Values);
        bytes[0] = 0x50; // e.g. a PNG or text file
        var act = () => IdxReader.Read(new MemoryStream(bytes), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*not an IDX file*00 00*starts with 50 00*");
    }

    [Fact]
    public void Read_FloatElementType_ThrowsNamingTheType()
    {
        var act = () => IdxReader.Read(new MemoryStream(IdxFiles.Bytes([3], Values, type: 0x0D)), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*0x0d (float32)*unsigned bytes (0x08)*");
    }

    [Fact]
    public void Read_ExtraBytesAfterData_ThrowsAsInconsistent()
    {
        var act = () => IdxReader.Read(new MemoryStream(IdxFiles.Bytes([11], Values)), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*[11] = 11 values*more data*");
    }

    [Fact]
    public void Read_ZeroLengthDimension_Throws()
    {
        var act = () => IdxReader.Read(new MemoryStream(IdxFiles.Bytes([0, 28], [])), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*dimension 0 has length 0*");
    }

    [Fact]
    public void Read_ZeroDimensions_Throws()
    {
        var act = () => IdxReader.Read(new MemoryStream(IdxFiles.Bytes([], [])), "x.idx");
        act.Should().Throw<InvalidDataException>().WithMessage("*0 dimensions*");
    }

    [Fact]
    public void Read_CorruptGzip_ThrowsInvalidData()
    {
        var bytes = IdxFiles.Gzip(IdxFiles.Bytes([12], Values));
        for (int i = 10; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A;
        var act = () => IdxReader.Read(new MemoryStream(bytes), "x.gz");
        act.Should().Throw<InvalidDataException>().WithMessage("x.gz:*");
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingPath()
    {
        using var dir = new TempDirectory();
        string path = dir.File("absent.gz");
        var act = () => IdxReader.Read(path);
        act.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
    }

    /// <summary>A stream that cannot seek, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
