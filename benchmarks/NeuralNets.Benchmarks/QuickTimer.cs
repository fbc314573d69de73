using System.Diagnostics;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// A few-second smoke timing of the matrix multiply shapes (median of repeated calls), for
/// iterating on the kernel; the published figures come from the BenchmarkDotNet suites.
/// </summary>
internal static class QuickTimer
{
    public static void Run()
    {
        // SHAPES given: only those shapes, without the allocation check (its 21,000 calls take minutes where a
        // configuration is slow); QUICK_REPS sets the calls per timing (7 timings: median, and best).
        if (Environment.GetEnvironmentVariable("SHAPES") == null)
        {
            var a = Fill(64 * 784, 1);
            var b = Fill(784 * 128, 2);
            var c = new float[64 * 128];
            for (int r = 0; r < 1000; r++) MatrixMultiply.Compute<float>(a, false, b, true, c, 64, 128, 784, false, 2);
            long before = GC.GetTotalAllocatedBytes(true);
            for (int r = 0; r < 20000; r++) MatrixMultiply.Compute<float>(a, false, b, true, c, 64, 128, 784, false, 2);
            Console.WriteLine($"allocated per call: {(GC.GetTotalAllocatedBytes(true) - before) / 20000.0:F3} B");
        }
        (int M, int N, int K, bool TA, bool TB)[] shapes = Environment.GetEnvironmentVariable("SHAPES") is string only
            ? only.Split(';').Select(t => t.Split(',')).Select(f => (int.Parse(f[0]), int.Parse(f[1]), int.Parse(f[2]), f[3] == "1", f[4] == "1")).ToArray()
            :
        [
            (64, 128, 784, false, false), (64, 128, 784, false, true), (64, 128, 784, true, false), (64, 128, 784, false, true), (128, 784, 64, true, false), (64, 784, 128, false, false),
            (64, 10, 128, false, true), (128, 500, 800, false, false), (256, 256, 256, false, false),
            (1, 128, 784, false, true),
            (6, 50176, 25, false, false), (6, 25, 50176, false, true), (16, 6400, 150, false, false), (16, 150, 6400, false, true), (150, 6400, 16, true, false),
        ];
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            // Aligned as the library's own weights and activations are (AlignedArrays).
            var a = Aligned(Fill(m * k, 1));
            var b = Aligned(Fill(k * n, 2));
            var c = NeuralNets.Tensors.AlignedArrays.Allocate<float>(m * n);
            foreach (int threads in new[] { 1, 2 })
            {
                int reps = Environment.GetEnvironmentVariable("QUICK_REPS") is string given
                    ? int.Parse(given, System.Globalization.CultureInfo.InvariantCulture)
                    : (int)Math.Clamp(2e9 / (2.0 * m * n * k), 3, 20000);
                var times = new double[7];
                for (int t = 0; t < times.Length; t++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int r = 0; r < reps; r++) MatrixMultiply.Compute<float>(a, ta, b, tb, c, m, n, k, false, threads);
                    times[t] = watch.Elapsed.TotalSeconds / reps;
                }
                Array.Sort(times);
                double median = times[times.Length / 2], best = times[0];
                // The best of the seven too: where the hypervisor takes CPU time in bursts (steal), the best timing is
                // the one it left alone, and compares two builds better than a median it lengthened.
                Console.WriteLine($"{m}x{n}x{k} tA={ta} tB={tb} threads={threads}: {median * 1e6,9:F2} us  {2.0 * m * n * k / median / 1e9,7:F1} GFLOP/s (best {2.0 * m * n * k / best / 1e9:F1})");
            }
        }
    }

    private static ArraySegment<float> Aligned(float[] values)
    {
        var aligned = NeuralNets.Tensors.AlignedArrays.Allocate<float>(values.Length);
        values.CopyTo(aligned.AsSpan());
        return aligned;
    }

    private static float[] Fill(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}

/// <summary>Median times of the parts of an MLP training step, for finding where a step's time goes.</summary>
internal static class QuickMlpTimer
{
    public static void Run(int batch)
    {
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * 784, 1, 0, 1), batch, 784);
        var y = BenchmarkData.Wrap(BenchmarkData.Labels(batch, 10, 2), batch);
        var network = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(network.Parameters, 0.01);
        var layers = network.Layers;
        // The second dense layer's backward pass applies the sigmoid's derivative as it goes (as Sequential runs them): one part.
        string[] names = ["zero+dense1 fwd", "sigmoid fwd", "dense2 fwd", "loss fwd", "loss bwd", "dense2+sigmoid bwd", "dense1 bwd", "sgd", "total"];
        var parts = new double[names.Length][];
        int rounds = batch == 256 ? 301 : 1001;
        for (int i = 0; i < parts.Length; i++) parts[i] = new double[rounds];
        var marks = new long[names.Length];
        for (int r = -3 * rounds; r < rounds; r++)
        {
            if (r == -rounds) Thread.Sleep(200); // let the tier-1 JIT catch up
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            TrainerZeroing.ZeroGradientsDeferred(network);
            var h = layers[0].Forward(x, true);
            marks[0] = System.Diagnostics.Stopwatch.GetTimestamp();
            var s = layers[1].Forward(h, true);
            marks[1] = System.Diagnostics.Stopwatch.GetTimestamp();
            var o = layers[2].Forward(s, true);
            marks[2] = System.Diagnostics.Stopwatch.GetTimestamp();
            loss.Forward(o, y);
            marks[3] = System.Diagnostics.Stopwatch.GetTimestamp();
            var g = loss.Backward();
            marks[4] = System.Diagnostics.Stopwatch.GetTimestamp();
            g = ((Activation<float>)layers[1]).BackwardThroughDense((Dense<float>)layers[2], g);
            marks[5] = System.Diagnostics.Stopwatch.GetTimestamp();
            ((IParameterGradientOnly<float>)layers[0]).BackwardToParameters(g);
            marks[6] = System.Diagnostics.Stopwatch.GetTimestamp();
            sgd.Step(static () => 0f);
            marks[7] = System.Diagnostics.Stopwatch.GetTimestamp();
            if (r < 0) continue;
            long previous = t0;
            for (int i = 0; i < names.Length - 1; i++)
            {
                parts[i][r] = (marks[i] - previous) * 1e6 / System.Diagnostics.Stopwatch.Frequency;
                previous = marks[i];
            }
            parts[^1][r] = (marks[names.Length - 2] - t0) * 1e6 / System.Diagnostics.Stopwatch.Frequency;
        }
        for (int i = 0; i < names.Length; i++)
        {
            Array.Sort(parts[i]);
            Console.WriteLine($"batch {batch} {names[i],-20} {parts[i][rounds / 2],9:F1} us");
        }
    }
}
