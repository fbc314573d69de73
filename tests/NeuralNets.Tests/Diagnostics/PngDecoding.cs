using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>A minimal PNG reader for the tests: checks the signature and every chunk's CRC (bitwise, independent of the writer's table), inflates and unfilters (filter 0 only).</summary>
internal static class PngDecoding
{
    public sealed record Decoded(int Width, int Height, int ColorType, byte[] Pixels, IReadOnlyList<string> Chunks);

    public static Decoded Decode(byte[] file)
    {
        file.AsSpan(0, 8).ToArray().Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        int offset = 8, width = 0, height = 0, colorType = -1;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        while (offset < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            string type = Encoding.ASCII.GetString(file, offset + 4, 4);
            var data = file.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            crc.Should().Be(BitwiseCrc(file.AsSpan(offset + 4, 4 + length)), $"the CRC of chunk {type}");
            chunks.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                data[8].Should().Be(8);
                colorType = data[9];
            }
            else if (type == "IDAT") idat.Write(data);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        int channels = colorType == 2 ? 3 : 1, rowBytes = width * channels;
        raw.Length.Should().Be(height * (rowBytes + 1));
        var pixels = new byte[height * rowBytes];
        for (int y = 0; y < height; y++)
        {
            raw[y * (rowBytes + 1)].Should().Be(0, "every scanline is written with filter 0");
            Array.Copy(raw, y * (rowBytes + 1) + 1, pixels, y * rowBytes, rowBytes);
        }
        return new Decoded(width, height, colorType, pixels, chunks);
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }
}
