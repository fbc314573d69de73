using System.Runtime.InteropServices;

namespace Playground.Engine;

/// <summary>
/// The original playground's diverging colours: orange for −1 (class 0), near-white for 0, blue for +1 (class 1).
/// </summary>
public static class ColorScale
{
    private const int Steps = 256;
    private static readonly (float R, float G, float B) Negative = (245, 147, 34), Zero = (232, 234, 235), Positive = (8, 119, 189);

    // One packed RGBA pixel per step of [−1, 1]: the page colours ~30,000 pixels a frame in WebAssembly's
    // interpreter, where a table look-up costs a fraction of interpolating three channels.
    private static readonly uint[] Table = BuildTable();

    /// <summary>
    /// Writes RGBA pixels for <paramref name="count"/> values read from <paramref name="values"/> at
    /// <paramref name="offset"/> + i·<paramref name="stride"/>, each divided by <paramref name="scale"/> and clamped to [−1, 1].
    /// </summary>
    public static void Fill(ReadOnlySpan<float> values, int offset, int stride, int count, float scale, Span<byte> rgba)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(rgba);
        float toStep = (Steps - 1) / 2f / scale;
        for (int i = 0; i < count; i++)
        {
            int step = (int)(values[offset + i * stride] * toStep + (Steps / 2f));
            pixels[i] = Table[Math.Clamp(step, 0, Steps - 1)];
        }
    }

    /// <summary>The largest |value| among those <see cref="Fill"/> would read, at least <paramref name="floor"/>: a scale that shows a neuron's shape whatever its range.</summary>
    public static float MaxAbs(ReadOnlySpan<float> values, int offset, int stride, int count, float floor)
    {
        float max = floor;
        for (int i = 0; i < count; i++) max = MathF.Max(max, MathF.Abs(values[offset + i * stride]));
        return max;
    }

    /// <summary>The RGBA bytes of <paramref name="value"/> ∈ [−1, 1] (clamped), for checking the table.</summary>
    public static (byte R, byte G, byte B, byte A) Color(float value)
    {
        var rgba = new byte[4];
        Fill([value], 0, 1, 1, 1f, rgba);
        return (rgba[0], rgba[1], rgba[2], rgba[3]);
    }

    /// <summary>A CSS colour for a weight: blue when positive, orange when negative.</summary>
    public static string Css(float value) => value >= 0 ? "#0877bd" : "#f59322";

    private static uint[] BuildTable()
    {
        var table = new uint[Steps];
        for (int k = 0; k < Steps; k++)
        {
            float v = k / ((Steps - 1) / 2f) - 1;
            var end = v < 0 ? Negative : Positive;
            float t = MathF.Abs(v);
            uint r = (uint)(Zero.R + (end.R - Zero.R) * t), g = (uint)(Zero.G + (end.G - Zero.G) * t), b = (uint)(Zero.B + (end.B - Zero.B) * t);
            // Bytes R, G, B, A in memory order on a little-endian machine (WebAssembly and x64 both are).
            table[k] = r | g << 8 | b << 16 | 0xFFu << 24;
        }
        return table;
    }
}
