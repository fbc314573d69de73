using System.Diagnostics;
using System.Globalization;
using NeuralNets.Kernels;

namespace NeuralNets.Benchmarks;

/// <summary>
/// What handing work to the team costs on this machine: an empty job split in two, and an elementwise pass (the
/// sigmoid's backward arithmetic) of growing length on one thread and on the team, alternated round by round;
/// medians ("handoff" mode).
/// </summary>
internal static class HandOffProbe
{
    private const int Rounds = 21;

    public static void Run()
    {
        long start = Stopwatch.GetTimestamp();
        int threshold = ParallelRanges.MinimumLength;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"elementwise split threshold, as calibrated in this process: {threshold:N0} elements (measured in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms)"));
        for (int again = 0; again < 3; again++)
        {
            SplitCalibration.Reset();
            start = Stopwatch.GetTimestamp();
            threshold = ParallelRanges.MinimumLength;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured again: {threshold:N0} elements, in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms"));
        }
        var empty = new Empty();
        Report("empty job", () => ParallelRanges.Run(empty, 1 << 20, 2), () => { }, 2000);
        foreach (int length in new[] { 4096, 8192, 16384, 32768, 65536, 131072 })
        {
            var op = new Derivative(new float[length], new float[length], new float[length]);
            Report($"σ' × g, {length} elements", () => ParallelRanges.Run(op, length, WorkerTeam.DefaultSize), () => ParallelRanges.Run(op, length, 1), (int)Math.Clamp(4e7 / length, 50, 5000));
        }
    }

    private static void Report(string name, Action team, Action one, int reps)
    {
        var split = new double[Rounds];
        var single = new double[Rounds];
        for (int round = -2; round < Rounds; round++)
        {
            double t2 = Time(team, reps), t1 = Time(one, reps);
            if (round < 0) continue;
            split[round] = t2;
            single[round] = t1;
        }
        Array.Sort(split);
        Array.Sort(single);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28}: one thread {single[Rounds / 2] * 1e6,7:F2} µs, team {split[Rounds / 2] * 1e6,7:F2} µs (best {split[0] * 1e6:F2})"));
    }

    private static double Time(Action action, int reps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < reps; r++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
    }

    private readonly struct Empty : IRangeOperation
    {
        public void Run(int start, int length) { }
    }

    private readonly struct Derivative(float[] output, float[] gradient, float[] result) : IRangeOperation
    {
        public void Run(int start, int length)
        {
            var s = output.AsSpan(start, length);
            var g = gradient.AsSpan(start, length);
            var r = result.AsSpan(start, length);
            System.Numerics.Tensors.TensorPrimitives.Subtract(1f, s, r);
            System.Numerics.Tensors.TensorPrimitives.Multiply(r, s, r);
            System.Numerics.Tensors.TensorPrimitives.Multiply(r, g, r);
        }
    }
}
