using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnFiltersSample;

/// <summary>
/// Writes 8-bit grayscale PNG files: signature, IHDR, one zlib-compressed IDAT, IEND (PNG
/// specification, ISO/IEC 15948). Small enough to keep pictures out of the library and free of native dependencies.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = CreateCrcTable();

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/>, through a temporary file so that a failure leaves no half-written picture.</summary>
    public static void Write(string path, GrayImage image)
    {
        string temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(Signature);
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
            header[8] = 8;  // bits per sample
            header[9] = 0;  // colour type 0: grayscale; compression, filter and interlace methods stay 0
            WriteChunk(file, "IHDR", header);
            WriteChunk(file, "IDAT", Compress(image));
            WriteChunk(file, "IEND", []);
        }
        File.Move(temporary, path, overwrite: true);
    }

    // Every scanline is preceded by its filter type; 0 (None) keeps the writer trivial.
    private static byte[] Compress(GrayImage image)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(image.Pixels, y * image.Width, image.Width);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    // CRC-32 with the reflected polynomial 0xEDB88320, as the PNG specification defines it.
    private static uint[] CreateCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
