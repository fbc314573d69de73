using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNets.Tests;

/// <summary>Writes IDX files byte by byte, following the format's definition, and a scratch directory for them.</summary>
internal static class IdxFiles
{
    /// <summary>The bytes of an IDX file: 00 00 type rank, big-endian lengths, then <paramref name="data"/>.</summary>
    public static byte[] Bytes(int[] shape, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Writes images [count, size, size] with pixel (i, r, c) = (i + r + c) mod 256 and labels i mod classes.</summary>
    public static void WriteImageSet(string directory, string prefix, int count, int size, int classes, bool gzip)
    {
        var pixels = new byte[count * size * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / (size * size) + i / size % size + i % size) % 256);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % classes);
        Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), Bytes([count, size, size], pixels), gzip);
        Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), Bytes([count], labels), gzip);
    }

    public static string Write(string pathWithoutGz, byte[] bytes, bool gzip)
    {
        string path = gzip ? pathWithoutGz + ".gz" : pathWithoutGz;
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        return path;
    }
}

/// <summary>A fresh directory under the system's temporary folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neuralnets-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a leftover temp folder must not fail a test
    }
}
