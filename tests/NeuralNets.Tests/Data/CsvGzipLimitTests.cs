using System.Buffers.Binary;
using System.Text;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>
/// A <c>.csv.gz</c> that would inflate past <see cref="CsvOptions.MaxInflatedBytes"/> fails before its rows cost memory:
/// every four bytes of <c>1,2\n</c> become some thirty bytes of table, so a check that counted only inflated bytes let a
/// 256 MB limit spend 2 GB.
/// </summary>
public sealed class CsvGzipLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Rows(int count) => Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", count)));

    [Fact]
    public void Read_TrailerSizeBeyondTheLimit_FailsBeforeInflating()
    {
        string path = _temp.File("large.csv.gz");
        File.WriteAllBytes(path, IdxFiles.Gzip(Rows(1 << 20)));
        var options = new CsvOptions { MaxInflatedBytes = 1 << 20 };

        var (allocated, error) = Allocation.Measure(() => CsvTable.Read(path, options));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().StartWith($"'{path}' inflates to more than {1 << 20} bytes");
        allocated.Should().BeLessThan(options.MaxInflatedBytes / 4, "nothing need be inflated to know that the file is too large");
    }

    [Fact]
    public void Read_MoreDataThanTheTrailerSays_FailsAsSoonAsItIsPassed()
    {
        // A trailer that lies (or a damaged one): its size is small, the data inflates to 4 MB.
        string path = _temp.File("lying.csv.gz");
        byte[] gzip = IdxFiles.Gzip(Rows(1 << 20));
        BinaryPrimitives.WriteUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4), 100);
        File.WriteAllBytes(path, gzip);
        var options = new CsvOptions { MaxInflatedBytes = 1 << 20 };

        var (allocated, error) = Allocation.Measure(() => CsvTable.Read(path, options));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain($"'{path}'").And.Contain("trailer");
        allocated.Should().BeLessThan(options.MaxInflatedBytes / 4);
    }

    [Fact]
    public void Read_FileWithinTheLimit_StillReads()
    {
        string path = _temp.File("fine.csv.gz");
        byte[] rows = Rows(1000);
        File.WriteAllBytes(path, IdxFiles.Gzip(rows));

        CsvTable.Read(path, new CsvOptions { MaxInflatedBytes = rows.Length }).RowCount.Should().Be(1000);
    }
}
