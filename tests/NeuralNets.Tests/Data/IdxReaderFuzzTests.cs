using System.Buffers.Binary;
using CsCheck;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>Random and mutated IDX files, raw and gzipped: the reader succeeds or throws InvalidDataException, and allocates little.</summary>
public class IdxReaderFuzzTests
{
    // Lengths on the edges the reader checks: zero, small, the 2 GB square, int.MaxValue and past it.
    private static readonly uint[] Lengths = [0, 1, 2, 3, 11, 12, 28, 255, 65536, 46340, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private static readonly byte[] Valid = IdxFiles.Bytes([3, 2, 2], [0, 1, 2, 127, 128, 200, 254, 255, 9, 10, 11, 12]);

    [Fact]
    public void Read_RandomBytes_ThrowsOnlyInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Gen.Byte.Array[0, 600], cases: 300, ReadContained);

    [Fact]
    public void Read_RandomBytesAfterGzipMagic_ThrowsOnlyInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Gen.Byte.Array[0, 600].Select(bytes => (byte[])[0x1f, 0x8b, 8, .. bytes]), cases: 300, ReadContained);

    [Fact]
    public void Read_MutatedRawFile_SucceedsOrThrowsInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Gen.OneOf(Fuzz.Mutations(Valid), HeaderChanges()), cases: 400, ReadContained);

    [Fact]
    public void Read_MutatedGzipFile_SucceedsOrThrowsInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Fuzz.Mutations(IdxFiles.Gzip(Valid)), cases: 400, ReadContained);

    [Fact]
    public void Read_GzipOfChangedHeader_SucceedsOrThrowsInvalidDataWithBoundedAllocation() =>
        Fuzz.Check(Gen.OneOf(Fuzz.Mutations(Valid), HeaderChanges()).Select(IdxFiles.Gzip), cases: 400, ReadContained);

    [Fact]
    public void Read_MutatedFileOnDisk_SucceedsOrThrowsInvalidDataWithBoundedAllocation()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fuzzed-idx3-ubyte");
        Fuzz.Check(Gen.OneOf(HeaderChanges(), HeaderChanges().Select(IdxFiles.Gzip)), cases: 200, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            Fuzz.Contained(() => IdxReader.Read(path), bytes);
        });
    }

    private static void ReadContained(byte[] bytes) => Fuzz.Contained(() => IdxReader.Read(new MemoryStream(bytes), "fuzzed"), bytes);

    /// <summary>The valid file with one to three of its type, rank or dimension lengths changed, lengths to edge values.</summary>
    internal static Gen<byte[]> HeaderChanges(byte[]? valid = null) =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, Lengths.Length - 1], Gen.Byte).Array[1, 3].Select(changes =>
        {
            var bytes = (byte[])(valid ?? Valid).Clone();
            int rank = bytes[3];
            foreach (var (field, length, value) in changes)
            {
                if (field == 0) bytes[2] = value;
                else if (field == 1) bytes[3] = value;
                else BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * (field % rank)), Lengths[length]);
            }
            return bytes;
        });
}
