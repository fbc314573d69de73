#if WITH_TORCH
using System.Diagnostics;
using TorchSharp;

namespace NeuralNets.Benchmarks.Torch;

/// <summary>Median time of torch.mm at the benchmark shapes with plain timing, to cross-check BenchmarkDotNet's figures.</summary>
internal static class TorchMatMulProbe
{
    public static void Run()
    {
        Console.WriteLine(TorchRuntime.Prepare());
        foreach (var (m, k, n) in new[] { (64, 784, 128), (64, 128, 10), (128, 800, 500), (256, 256, 256) })
        {
            using var a = torch.tensor(BenchmarkData.Uniform(m * k, 1), m, k);
            using var b = torch.tensor(BenchmarkData.Uniform(k * n, 2), k, n);
            var times = new double[501];
            for (int r = -200; r < times.Length; r++)
            {
                long t = Stopwatch.GetTimestamp();
                using (var c = torch.mm(a, b)) { }
                if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine($"torch.mm {m}x{k}x{n}: median {times[250]:F1} us, min {times[0]:F1} us");
        }
        foreach (int batch in new[] { 1, 64, 256 })
        {
            var bench = new MlpTrainingStepBenchmarks { BatchSize = batch };
            bench.Setup();
            var times = new double[301];
            for (int r = -100; r < times.Length; r++)
            {
                long t = Stopwatch.GetTimestamp();
                bench.TorchSharp();
                if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine($"torch MLP step batch {batch}: median {times[150]:F1} us");
            Thread.CurrentThread.Priority = ThreadPriority.Highest;
            for (int r = -100; r < times.Length; r++)
            {
                long t = Stopwatch.GetTimestamp();
                bench.TorchSharp();
                if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            Thread.CurrentThread.Priority = ThreadPriority.Normal;
            Array.Sort(times);
            Console.WriteLine($"torch MLP step batch {batch}, calling thread at Highest priority: median {times[150]:F1} us");
        }
    }
}
#endif
