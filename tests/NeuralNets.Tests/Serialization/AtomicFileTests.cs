using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// Every saver writes through AtomicFile: a write that fails half-way (a full disk, a serializer that throws) leaves the
/// old file as it was and no temporary beside it.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AWriteThatFailsHalfWay_LeavesTheOldFileAndNoTemporary()
    {
        string path = Path.Combine(_directory, "model.json");
        File.WriteAllText(path, "the old contents");
        var act = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new IOException("No space left on device.");
        });
        act.Should().Throw<IOException>().WithMessage("No space left on device.");
        File.ReadAllText(path).Should().Be("the old contents");
        Directory.GetFiles(_directory).Should().ContainSingle();
    }

    [Fact]
    public void AWriteThatSucceeds_ReplacesTheFileAndLeavesNoTemporary()
    {
        string path = Path.Combine(_directory, "model.json");
        File.WriteAllText(path, "the old contents");
        AtomicFile.Write(path, stream => stream.Write("new"u8));
        File.ReadAllText(path).Should().Be("new");
        Directory.GetFiles(_directory).Should().ContainSingle();
    }
}
