namespace NeuralNets.Diagnostics;

/// <summary>
/// A blue–white–red colour map for values with a sign (weights, gradients): −1 is blue, 0 white, +1 red, linear in between,
/// so that equal magnitudes look equally strong on both sides.
/// </summary>
public static class DivergingColorMap
{
    private static readonly Rgb Negative = new(33, 102, 172);
    private static readonly Rgb Positive = new(178, 24, 43);

    /// <summary>The colour of <paramref name="value"/> in [−1, 1]; values outside are clamped, NaN is drawn black so that it shows.</summary>
    /// <param name="value">The value, already divided by the scale's largest magnitude.</param>
    public static Rgb Map(double value)
    {
        if (double.IsNaN(value)) return new Rgb(0, 0, 0);
        double t = Math.Clamp(value, -1, 1);
        var end = t < 0 ? Negative : Positive;
        double a = Math.Abs(t);
        return new Rgb(Blend(end.R, a), Blend(end.G, a), Blend(end.B, a));
    }

    // From white (a = 0) to the end colour (a = 1).
    private static byte Blend(byte end, double a) => (byte)Math.Round(255 + (end - 255) * a, MidpointRounding.AwayFromZero);
}
