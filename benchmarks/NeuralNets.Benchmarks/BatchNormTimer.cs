using System.Diagnostics;
using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Median training forward and backward time of one float BatchNorm2D layer over a batch of any shape, on the team: for
/// comparing a change to batch normalisation's passes in alternating processes. With EVICT=1 a 64 MB buffer is written
/// between the passes, so that the layer's tensors come from memory as they do in a network's step.
/// </summary>
internal static class BatchNormTimer
{
    /// <summary>Arguments: channels, image size, batch.</summary>
    public static void Run(string[] arguments)
    {
        if (arguments.Length != 3) throw new ArgumentException("batchnorm CHANNELS SIZE BATCH, e.g. batchnorm 32 16 64");
        int[] values = arguments.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var (channels, size, batch) = (values[0], values[1], values[2]);
        var layer = new BatchNorm2D<float>(channels);
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * channels * size * size, 1), batch, channels, size, size);
        var g = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * channels * size * size, 2), batch, channels, size, size);
        var evict = Environment.GetEnvironmentVariable("EVICT") == "1" ? new byte[64 << 20] : null;
        const int runs = 101;
        var forward = new double[runs];
        var backward = new double[runs];
        for (int r = -50; r < runs; r++)
        {
            if (evict is not null) Array.Fill(evict, (byte)r);
            long start = Stopwatch.GetTimestamp();
            layer.Forward(x, training: true);
            if (r >= 0) forward[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (evict is not null) Array.Fill(evict, (byte)r);
            start = Stopwatch.GetTimestamp();
            layer.Backward(g);
            if (r >= 0) backward[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(forward);
        Array.Sort(backward);
        double megabytes = 4.0 * batch * channels * size * size / (1 << 20);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BatchNorm2D({channels}) over {batch}×{channels}×{size}×{size} ({megabytes:F2} MB){(evict is null ? "" : ", evicted")}: forward {forward[runs / 2]:F1} µs, backward {backward[runs / 2]:F1} µs (medians of {runs})"));
    }
}
