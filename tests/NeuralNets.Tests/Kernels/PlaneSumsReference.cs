namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Batch normalisation's order of summation over planes (<see cref="NeuralNets.Kernels.PlaneSums"/>), written out one value at
/// a time: position i of each plane into lane i mod 16, sample after sample, then the lanes in a fixed tree. Shared by the
/// unit tests and the portable checks.
/// </summary>
internal static class PlaneSumsReference
{
    /// <summary>Channel <paramref name="c"/>'s terms (given the flat index of each value) over <c>[batch, channels, spread]</c> values.</summary>
    public static double InLanes(int batch, int channels, int spread, int c, Func<int, double> term)
    {
        var lanes = new double[16];
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < spread; i++) lanes[i % 16] += term((n * channels + c) * spread + i);
        double s0 = (lanes[0] + lanes[4]) + (lanes[8] + lanes[12]), s1 = (lanes[1] + lanes[5]) + (lanes[9] + lanes[13]);
        double s2 = (lanes[2] + lanes[6]) + (lanes[10] + lanes[14]), s3 = (lanes[3] + lanes[7]) + (lanes[11] + lanes[15]);
        return (s0 + s1) + (s2 + s3);
    }
}
