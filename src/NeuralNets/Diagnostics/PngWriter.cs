using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using NeuralNets.Serialization;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Writes 8-bit greyscale or RGB PNG files without native code: the IHDR, one zlib-compressed IDAT and IEND chunks, each with
/// its CRC-32; every scanline uses filter 0 (none), which any PNG reader accepts.
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="pixels"/> (row-major, one byte per pixel for grey, three for RGB) as a PNG to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the file goes.</param>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="rgb">Whether the pixels are RGB triples rather than grey levels.</param>
    /// <param name="pixels">width·height (grey) or 3·width·height (RGB) bytes.</param>
    public static void Write(Stream stream, int width, int height, bool rgb, ReadOnlySpan<byte> pixels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentRange.ThrowIfNegativeOrZero(width);
        ArgumentRange.ThrowIfNegativeOrZero(height);
        int channels = rgb ? 3 : 1;
        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A {width}×{height} {(rgb ? "RGB" : "greyscale")} image needs {expected} bytes, but {pixels.Length} were given."), nameof(pixels));
        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                    // bits per channel
        header[9] = (byte)(rgb ? 2 : 0);  // colour type: truecolour or greyscale
        header[10] = header[11] = header[12] = 0;  // deflate, adaptive filtering, no interlace
        WriteChunk(stream, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int rowBytes = width * channels;
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0);  // filter: none
                zlib.Write(pixels.Slice(y * rowBytes, rowBytes));
            }
        }
        WriteChunk(stream, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(stream, "IEND", []);
    }

    /// <summary>Writes the PNG to <paramref name="path"/> through a temporary file, so that a failure leaves no half-written image.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="rgb">Whether the pixels are RGB triples.</param>
    /// <param name="pixels">The pixels, as for <see cref="Write"/>.</param>
    public static void Save(string path, int width, int height, bool rgb, byte[] pixels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(pixels);
        AtomicFile.Write(path, stream => Write(stream, width, height, rgb, pixels));
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        stream.Write(typeBytes);
        stream.Write(data);
        // The CRC covers the type and the data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Append(0, typeBytes), data));
        stream.Write(word);
    }
}
