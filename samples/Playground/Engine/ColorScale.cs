namespace Playground.Engine;

/// <summary>
/// The original playground's diverging colours: orange for −1 (class 0), near-white for 0, blue for +1 (class 1).
/// </summary>
public static class ColorScale
{
    private static readonly (float R, float G, float B) Negative = (245, 147, 34), Zero = (232, 234, 235), Positive = (8, 119, 189);

    /// <summary>
    /// Writes RGBA pixels for <paramref name="count"/> values read from <paramref name="values"/> at
    /// <paramref name="offset"/> + i·<paramref name="stride"/>, each divided by <paramref name="scale"/> and clamped to [−1, 1].
    /// </summary>
    public static void Fill(ReadOnlySpan<float> values, int offset, int stride, int count, float scale, Span<byte> rgba)
    {
        for (int i = 0; i < count; i++)
        {
            float v = Math.Clamp(values[offset + i * stride] / scale, -1f, 1f);
            var end = v < 0 ? Negative : Positive;
            float t = MathF.Abs(v);
            rgba[4 * i] = (byte)(Zero.R + (end.R - Zero.R) * t);
            rgba[4 * i + 1] = (byte)(Zero.G + (end.G - Zero.G) * t);
            rgba[4 * i + 2] = (byte)(Zero.B + (end.B - Zero.B) * t);
            rgba[4 * i + 3] = 255;
        }
    }

    /// <summary>The largest |value| among those <see cref="Fill"/> would read, at least <paramref name="floor"/>: a scale that shows a neuron's shape whatever its range.</summary>
    public static float MaxAbs(ReadOnlySpan<float> values, int offset, int stride, int count, float floor)
    {
        float max = floor;
        for (int i = 0; i < count; i++) max = MathF.Max(max, MathF.Abs(values[offset + i * stride]));
        return max;
    }

    /// <summary>A CSS colour for a weight: blue when positive, orange when negative.</summary>
    public static string Css(float value) => value >= 0 ? "#0877bd" : "#f59322";
}
