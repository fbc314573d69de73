using System.IO.Compression;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>Small files that claim, or inflate to, far more than they hold: each fails having allocated about what it really held.</summary>
public class IdxReaderBombTests
{
    private static readonly byte[] Values = [0, 1, 2, 127, 128, 200, 254, 255, 9, 10, 11, 12];

    [Fact]
    public void Read_RawFileClaimingTwoGigabytes_ThrowsTruncatedAllocatingLittle()
    {
        using var dir = new TempDirectory();
        // 28 bytes: the header of [46340, 46340] (2 GB of values) and 16 bytes of data.
        string path = IdxFiles.Write(dir.File("bomb-idx2-ubyte"), IdxFiles.Bytes([46340, 46340], new byte[16]), gzip: false);

        var (bytes, error) = Allocation.Measure(() => IdxReader.Read(path));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Be(
            $"{path}: truncated: the header declares shape [46340, 46340] = 2147395600 values but the file holds only 16.");
        bytes.Should().BeLessThan(Allocation.Bound(28));
    }

    [Fact]
    public void Read_GzipInflatingFarPastItsHeader_StopsAfterTheDeclaredValues()
    {
        // 12 declared values followed by 256 MiB of zeros, about 256 KB compressed.
        byte[] file = GzipWithZeros(IdxFiles.Bytes([12], Values), zeros: 256 << 20);

        var (bytes, error) = Allocation.Measure(() => IdxReader.Read(new MemoryStream(file), "bomb.gz"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Be(
            "bomb.gz: the header declares shape [12] = 12 values but the file holds more data after them.");
        bytes.Should().BeLessThan(Allocation.Bound(file.Length));
    }

    [Fact]
    public void Read_GzipClaimingTwoGigabytesHoldingOneMegabyte_ThrowsTruncatedAllocatingAboutWhatItHeld()
    {
        const int held = 1 << 20;
        byte[] file = GzipWithZeros(IdxFiles.Bytes([46340, 46340], []), zeros: held);

        var (bytes, error) = Allocation.Measure(() => IdxReader.Read(new MemoryStream(file), "bomb.gz"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Be(
            $"bomb.gz: truncated: the header declares shape [46340, 46340] = 2147395600 values but the file holds only {held}.");
        // The buffer doubles as bytes arrive, so it ends at most twice what arrived, after earlier halves.
        bytes.Should().BeLessThan(4 * held + (1 << 20));
    }

    [Fact]
    public void Read_GzipOfExactlyTheDeclaredValues_RoundTripsAcrossBufferGrowth()
    {
        // Over three times the first buffer, so the values arrive across several doublings.
        var values = new byte[200_003];
        new Random(11).NextBytes(values);

        var array = IdxReader.Read(new MemoryStream(IdxFiles.Gzip(IdxFiles.Bytes([values.Length], values))), "big.gz");

        array.Data.Should().Equal(values);
    }

    /// <summary><paramref name="prefix"/> then <paramref name="zeros"/> zero bytes, gzipped without holding them all in memory.</summary>
    private static byte[] GzipWithZeros(byte[] prefix, int zeros)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(prefix);
            var block = new byte[1 << 20];
            for (int left = zeros; left > 0; left -= block.Length) gzip.Write(block, 0, Math.Min(left, block.Length));
        }
        return output.ToArray();
    }
}
