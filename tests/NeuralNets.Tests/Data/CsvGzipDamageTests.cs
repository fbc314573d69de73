using System.Text;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>A damaged <c>.csv.gz</c> is reported as such, naming the file, with the inflater's own error inside.</summary>
public sealed class CsvGzipDamageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Rows(int count) => Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", count)));

    [Fact]
    public void Read_DeflateBlockOfTheReservedType_FailsSayingTheGzipDataIsDamaged()
    {
        string path = _temp.File("damaged.csv.gz");
        byte[] gzip = IdxFiles.Gzip(Rows(1000));
        // The first deflate block's header follows the 10-byte gzip header: bits 1-2 are its type, and type 3 is reserved.
        gzip[10] |= 0b110;
        File.WriteAllBytes(path, gzip);

        var act = () => CsvTable.Read(path, new CsvOptions());

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': the gzip data is damaged*")
            .WithInnerException<InvalidDataException>();
    }
}
