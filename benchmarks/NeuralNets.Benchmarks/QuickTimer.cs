using System.Diagnostics;
using NeuralNets.Kernels;

namespace NeuralNets.Benchmarks;

/// <summary>
/// A few-second smoke timing of the matrix multiply shapes (median of repeated calls), for
/// iterating on the kernel; the published figures come from the BenchmarkDotNet suites.
/// </summary>
internal static class QuickTimer
{
    public static void Run()
    {
        (int M, int N, int K, bool TA, bool TB)[] shapes =
        [
            (64, 128, 784, false, false), (64, 128, 784, false, true), (64, 128, 784, true, false), (64, 128, 784, false, true), (128, 784, 64, true, false), (64, 784, 128, false, false),
            (64, 10, 128, false, true), (128, 500, 800, false, false), (256, 256, 256, false, false),
            (1, 128, 784, false, true), (1024, 1024, 1024, false, false),
        ];
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            var a = Fill(m * k, 1);
            var b = Fill(k * n, 2);
            var c = new float[m * n];
            foreach (int threads in new[] { 1, 2 })
            {
                int reps = (int)Math.Clamp(2e9 / (2.0 * m * n * k), 3, 20000);
                var times = new double[7];
                for (int t = 0; t < times.Length; t++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int r = 0; r < reps; r++) MatrixMultiply.Compute<float>(a, ta, b, tb, c, m, n, k, false, threads);
                    times[t] = watch.Elapsed.TotalSeconds / reps;
                }
                Array.Sort(times);
                double median = times[times.Length / 2];
                Console.WriteLine($"{m}x{n}x{k} tA={ta} tB={tb} threads={threads}: {median * 1e6,9:F2} us  {2.0 * m * n * k / median / 1e9,7:F1} GFLOP/s");
            }
        }
    }

    private static float[] Fill(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
