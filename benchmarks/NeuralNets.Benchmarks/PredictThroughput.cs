using System.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Batch-1 inference throughput of one shared network from one thread and from two at once
/// (predictions per second, median of several rounds), under the default settings and with
/// <see cref="Parallelism.MaxThreads"/> = 1, where each call stays on its own thread.
/// </summary>
internal static class PredictThroughput
{
    private const int Rounds = 7;
    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(400);

    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} processors; {Rounds} rounds of {RoundLength.TotalMilliseconds} ms, medians; batch-1 Predict(sample, output)");
        Report("MLP 784-128(σ)-10", Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1), 784);
        Report("LeNet-like CNN", Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2).Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10).Build(seed: 1), 784);
    }

    private static void Report(string name, Sequential<float> network, int inputLength)
    {
        var sample = new float[inputLength];
        for (int i = 0; i < sample.Length; i++) sample[i] = (i % 17) / 17f;
        foreach (int maxThreads in new[] { Parallelism.DefaultMaxThreads, 1 })
        {
            Parallelism.MaxThreads = maxThreads;
            Measure(network, sample, 1); // warm-up: tier-1 code, inference copies for both threads
            Measure(network, sample, 2);
            var one = Median(() => Measure(network, sample, 1));
            var two = Median(() => Measure(network, sample, 2));
            Console.WriteLine($"{name}, MaxThreads {maxThreads}: 1 thread {one:N0}/s ({1e6 / one:F1} µs each), 2 threads {two:N0}/s, ratio {two / one:F2}×");
        }
        Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
    }

    private static double Median(Func<double> measure)
    {
        var results = Enumerable.Range(0, Rounds).Select(_ => measure()).OrderBy(r => r).ToArray();
        return results[Rounds / 2];
    }

    /// <summary>Predictions per second, all threads together, over one round.</summary>
    private static double Measure(Sequential<float> network, float[] sample, int threads)
    {
        long total = 0;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var output = new float[network.OutputShapeOfNetwork!.Aggregate(1, (a, b) => a * b)];
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            long count = 0;
            while (clock.Elapsed < RoundLength)
            {
                for (int i = 0; i < 16; i++) network.Predict(sample, output);
                count += 16;
            }
            Interlocked.Add(ref total, count);
        })).ToArray();
        var wall = Stopwatch.StartNew();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        return total / wall.Elapsed.TotalSeconds;
    }
}
