using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Batch normalisation's per-channel sums over planes, in double, are exactly those of one value at a time, whatever the
/// side-by-side chains and vectors: compared in double, before any rounding to float could hide a changed order.
/// </summary>
public class ChannelRowsTests
{
    [Theory]
    [InlineData(6, 7, 0, 6)]
    [InlineData(9, 5, 1, 8)]    // a range that starts off a group of four
    [InlineData(3, 16, 0, 3)]
    public void PlaneSums_FloatValues_SameDoublesAsOneValueAtATime(int channels, int spread, int first, int end)
    {
        const int batch = 3;
        var random = new Random(channels * 7 + spread);
        var x = new float[batch * channels * spread];
        var dy = new float[x.Length];
        for (int i = 0; i < x.Length; i++) (x[i], dy[i]) = ((float)(random.NextDouble() * 4 - 2), (float)(random.NextDouble() * 2 - 1));
        var mean = Enumerable.Range(0, channels).Select(c => 0.1 * c - 0.2 + random.NextDouble() * 1e-3).ToArray();
        var inverse = Enumerable.Range(0, channels).Select(c => 1.3 + 0.01 * c).ToArray();

        var sums = new double[channels];
        var squares = new double[channels];
        var sumDy = new double[channels];
        var sumDyXHat = new double[channels];
        ChannelRows.AddPlanes<float>(x, batch, channels, spread, first, end, sums);
        ChannelRows.AddSquaredDeviationsOfPlanes<float>(x, batch, channels, spread, first, end, mean, squares);
        ChannelRows.AddGradientSumsOfPlanes<float>(x, dy, batch, channels, spread, first, end, mean, inverse, sumDy, sumDyXHat);

        for (int c = 0; c < channels; c++)
        {
            double s = 0, q = 0, a = 0, b = 0;
            if (c >= first && c < end)
                for (int n = 0; n < batch; n++)
                    for (int i = 0; i < spread; i++)
                    {
                        int at = (n * channels + c) * spread + i;
                        double v = x[at], g = dy[at], d = v - mean[c];
                        s += v;
                        q += d * d;
                        a += g;
                        b += g * (v - mean[c]) * inverse[c];
                    }
            (sums[c], squares[c], sumDy[c], sumDyXHat[c]).Should().Be((s, q, a, b), $"channel {c}");
        }
    }
}
