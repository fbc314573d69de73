using System.Diagnostics;
using System.Globalization;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Benchmarks;

/// <summary>
/// How well one matrix product splits across the cores, against what the cores deliver side by side: per round,
/// the product on one thread, the same product split across the team, and two independent one-thread products run at
/// once on two threads (the machine's two-core capacity for this work). Rounds alternate the three, so that a
/// hypervisor's slow spells fall on all of them alike; the figures are medians over rounds ("scaling" mode;
/// SHAPES="m,n,k,tA,tB;..." as for the quick timer). The team splits every product, whatever its size, to show where splitting starts to pay.
/// </summary>
internal static class ScalingProbe
{
    private const int RoundCount = 31;

    public static void Run()
    {
        string shapes = Environment.GetEnvironmentVariable("SHAPES") ?? "64,128,784,0,1;128,784,64,1,0;256,128,784,0,1;128,784,256,1,0";
        foreach (var f in shapes.Split(';').Select(t => t.Split(',')))
        {
            int m = int.Parse(f[0], CultureInfo.InvariantCulture), n = int.Parse(f[1], CultureInfo.InvariantCulture), k = int.Parse(f[2], CultureInfo.InvariantCulture);
            bool ta = f[3] == "1", tb = f[4] == "1";
            var first = Operands(m, n, k, 1);
            var second = Operands(m, n, k, 2);
            int reps = (int)Math.Clamp(4e8 / (2.0 * m * n * k), 5, 5000);
            void Product((ArraySegment<float> A, ArraySegment<float> B, ArraySegment<float> C) o, int threads)
            {
                for (int r = 0; r < reps; r++) MatrixMultiply.Compute<float>(o.A, ta, o.B, tb, o.C, m, n, k, false, threads, parallelThreshold: 0);
            }
            var one = new double[RoundCount];
            var team = new double[RoundCount];
            var pair = new double[RoundCount];
            for (int round = -2; round < RoundCount; round++)
            {
                double t1 = Time(() => Product(first, 1));
                double t2 = Time(() => Product(first, WorkerTeam.DefaultSize));
                double tp = Time(() => Parallel.Invoke(() => Product(first, 1), () => Product(second, 1)));
                if (round < 0) continue;
                one[round] = t1 / reps;
                team[round] = t2 / reps;
                pair[round] = tp / reps / 2; // two products' worth of work: time per product
            }
            double flops = 2.0 * m * n * k;
            string Rate(double[] times) => string.Create(CultureInfo.InvariantCulture, $"{Rounds.Median(times) * 1e6,8:F1} µs {flops / Rounds.Median(times) / 1e9,6:F1} GFLOP/s");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m}x{n}x{k} tA={ta} tB={tb}: one thread {Rate(one)} | split across the team {Rate(team)} | two side by side, per product {Rate(pair)} | split / one {Rounds.Median(one) / Rounds.Median(team):F2}x, side by side / one {Rounds.Median(one) / Rounds.Median(pair):F2}x"));
        }
    }

    private static (ArraySegment<float>, ArraySegment<float>, ArraySegment<float>) Operands(int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        var a = AlignedArrays.Allocate<float>(m * k);
        var b = AlignedArrays.Allocate<float>(k * n);
        for (int i = 0; i < a.Count; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < b.Count; i++) b[i] = (float)(random.NextDouble() * 2 - 1);
        return (a, b, AlignedArrays.Allocate<float>(m * n));
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
