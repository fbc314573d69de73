using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

public class PngWriterTests
{
    private static byte[] Encode(int width, int height, bool rgb, byte[] pixels)
    {
        using var stream = new MemoryStream();
        PngWriter.Write(stream, width, height, rgb, pixels);
        return stream.ToArray();
    }

    [Fact]
    public void Write_Greyscale_DecodesToTheSamePixelsWithValidCrcs()
    {
        var pixels = Enumerable.Range(0, 7 * 5).Select(i => (byte)(i * 7)).ToArray();
        var decoded = PngDecoding.Decode(Encode(7, 5, rgb: false, pixels));
        (decoded.Width, decoded.Height, decoded.ColorType).Should().Be((7, 5, 0));
        decoded.Pixels.Should().Equal(pixels);
        decoded.Chunks.Should().Equal("IHDR", "IDAT", "IEND");
    }

    [Fact]
    public void Write_Rgb_DecodesToTheSamePixels()
    {
        var pixels = Enumerable.Range(0, 3 * 4 * 3).Select(i => (byte)(255 - i * 5)).ToArray();
        var decoded = PngDecoding.Decode(Encode(4, 3, rgb: true, pixels));
        (decoded.Width, decoded.Height, decoded.ColorType).Should().Be((4, 3, 2));
        decoded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Crc32_KnownCheckValue()
    {
        // The standard check value of CRC-32: "123456789" → 0xCBF43926.
        Crc32.Append(0, "123456789"u8).Should().Be(0xCBF43926u);
        Crc32.Append(Crc32.Append(0, "1234"u8), "56789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void Write_WrongPixelCount_ThrowsNamingSizes()
    {
        var act = () => Encode(3, 2, rgb: true, new byte[6]);
        act.Should().Throw<ArgumentException>().WithMessage("*3×2 RGB image needs 18 bytes, but 6*");
    }

    [Fact]
    public void SavePng_WritesAFileThatDecodes()
    {
        var picture = new Picture(3, 2);
        picture.Set(1, 1, new Rgb(10, 20, 30));
        string path = Path.Combine(Path.GetTempPath(), $"png-{Guid.NewGuid():N}.png");
        try
        {
            picture.SavePng(path);
            var decoded = PngDecoding.Decode(File.ReadAllBytes(path));
            decoded.Pixels.Should().Equal(picture.Pixels.ToArray());
            decoded.Pixels.AsSpan(3 * 4, 3).ToArray().Should().Equal(10, 20, 30);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
