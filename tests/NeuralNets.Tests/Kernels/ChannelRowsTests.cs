using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Batch normalisation's per-channel sums over planes, in double, are exactly those of their defined order, whatever the
/// vectors: sixteen lanes along each plane (<see cref="PlaneSums"/>, written out in <see cref="PlaneSumsReference"/>), and one value at a time for the global average
/// pool's plane sums (<see cref="ChannelRows.AddPlanes"/>). Compared in double, before any rounding to float could hide a
/// changed order. The suite's runs with 256-bit vectors, with intrinsics or AVX2 switched off, take each path.
/// </summary>
public class ChannelRowsTests
{
    [Theory]
    [InlineData(6, 7, 0, 6)]
    [InlineData(9, 5, 1, 8)]    // a range that starts off a group of four
    [InlineData(3, 16, 0, 3)]   // one whole block of lanes a plane
    [InlineData(4, 33, 1, 4)]   // two blocks and one value
    [InlineData(2, 47, 0, 2)]   // two blocks and fifteen values
    [InlineData(5, 1, 0, 5)]
    public void PlaneSums_FloatValues_SameDoublesAsTheirLanes(int channels, int spread, int first, int end)
    {
        var (x, dy, mean, inverse) = Data(channels, spread);
        var sums = new double[channels];
        var squares = new double[channels];
        var sumDy = new double[channels];
        var sumDyXHat = new double[channels];
        // The lanes' storage as a caller leaves it between calls: whatever was there before (each call starts them at zero).
        var lanes = Enumerable.Repeat(double.NaN, PlaneSums.LaneStorage(end - first)).ToArray();
        PlaneSums.Add<float>(x, Batch, channels, spread, first, end, sums, lanes);
        PlaneSums.AddSquaredDeviations<float>(x, Batch, channels, spread, first, end, mean, squares, lanes);
        PlaneSums.AddGradientSums<float>(x, dy, Batch, channels, spread, first, end, mean, inverse, sumDy, sumDyXHat, lanes);

        for (int c = 0; c < channels; c++)
        {
            var expected = (0.0, 0.0, 0.0, 0.0);
            if (c >= first && c < end)
                expected = (
                    InLanes(channels, spread, c, at => x[at]),
                    InLanes(channels, spread, c, at => (x[at] - mean[c]) * (x[at] - mean[c])),
                    InLanes(channels, spread, c, at => dy[at]),
                    InLanes(channels, spread, c, at => (double)dy[at] * (x[at] - mean[c]) * inverse[c]));
            (sums[c], squares[c], sumDy[c], sumDyXHat[c]).Should().Be(expected, $"channel {c}");
        }
    }

    [Theory]
    [InlineData(6, 7, 0, 6)]
    [InlineData(9, 5, 1, 8)]
    [InlineData(3, 16, 0, 3)]
    public void AddPlanes_FloatValues_SameDoublesAsOneValueAtATime(int channels, int spread, int first, int end)
    {
        var (x, _, _, _) = Data(channels, spread);
        var sums = new double[channels];
        ChannelRows.AddPlanes<float>(x, Batch, channels, spread, first, end, sums);
        for (int c = 0; c < channels; c++)
        {
            double s = 0;
            if (c >= first && c < end)
                for (int n = 0; n < Batch; n++)
                    for (int i = 0; i < spread; i++) s += x[(n * channels + c) * spread + i];
            sums[c].Should().Be(s, $"channel {c}");
        }
    }

    [Fact]
    public void PlaneSums_DoubleValues_SameDoublesAsTheirLanes()
    {
        const int channels = 3, spread = 21;
        var random = new Random(5);
        var x = Enumerable.Range(0, Batch * channels * spread).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var sums = new double[channels];
        PlaneSums.Add<double>(x, Batch, channels, spread, 0, channels, sums, new double[PlaneSums.LaneStorage(channels)]);
        for (int c = 0; c < channels; c++) sums[c].Should().Be(InLanes(channels, spread, c, at => x[at]), $"channel {c}");
    }

    private const int Batch = 3;

    private static (float[] X, float[] Dy, double[] Mean, double[] Inverse) Data(int channels, int spread)
    {
        var random = new Random(channels * 7 + spread);
        var x = new float[Batch * channels * spread];
        var dy = new float[x.Length];
        for (int i = 0; i < x.Length; i++) (x[i], dy[i]) = ((float)(random.NextDouble() * 4 - 2), (float)(random.NextDouble() * 2 - 1));
        var mean = Enumerable.Range(0, channels).Select(c => 0.1 * c - 0.2 + random.NextDouble() * 1e-3).ToArray();
        var inverse = Enumerable.Range(0, channels).Select(c => 1.3 + 0.01 * c).ToArray();
        return (x, dy, mean, inverse);
    }

    private static double InLanes(int channels, int spread, int c, Func<int, double> term) => PlaneSumsReference.InLanes(Batch, channels, spread, c, term);
}
