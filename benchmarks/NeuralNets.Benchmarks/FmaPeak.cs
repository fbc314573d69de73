using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The machine's fp32 fused multiply-add peak, measured with a loop that touches only registers: sixteen independent
/// 512-bit accumulators (twelve at 256 and 128 bits), enough to cover the FMA latency on two pipes, on one thread and
/// on every core at once.
/// The yardstick for the kernels' GFLOP/s in the quick timer ("peak" mode; median of 7 timings).
/// </summary>
internal static class FmaPeak
{
    private const long Iterations = 20_000_000;

    public static void Run()
    {
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        double flopsPerCall = Iterations * (bits == 512 ? 16.0 : 12.0) * 2 * (bits / 32);
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            var times = new double[7];
            for (int t = 0; t < times.Length; t++)
            {
                var watch = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Loop(bits));
                times[t] = watch.Elapsed.TotalSeconds;
            }
            Array.Sort(times);
            double gflops = flopsPerCall * threads / times[times.Length / 2] / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fp32 FMA peak, {bits}-bit vectors, {threads} thread(s): {gflops:F1} GFLOP/s"));
        }
        // What the library's cache-size thresholds read on this machine (Kernels/CacheSizes.cs).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"caches the library counts on per thread: L1 data {NeuralNets.Kernels.CacheSizes.L1DataBytes / 1024} KB, L2 {NeuralNets.Kernels.CacheSizes.L2Bytes / 1024} KB; data TLB reach {NeuralNets.Kernels.CacheSizes.DataTlbReachBytes / 1024} KB"));
    }

    private static float Loop(int bits) => bits == 512 ? Loop512() : bits == 256 ? Loop256() : Loop128();

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Loop512()
    {
        var a = Vector512.Create(0.999999f);
        var b = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector512<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b); c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b); c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }
        // The sum keeps every chain alive, so none is removed as dead code.
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Loop256()
    {
        // Twelve chains, not sixteen: without AVX-512 there are sixteen vector registers, and a, b and sixteen
        // accumulators would spill. Twelve still cover the FMA latency of two pipes.
        var a = Vector256.Create(0.999999f);
        var b = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector256<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Loop128()
    {
        // Twelve chains, not sixteen: without AVX-512 there are sixteen vector registers, and a, b and sixteen
        // accumulators would spill. Twelve still cover the FMA latency of two pipes.
        var a = Vector128.Create(0.999999f);
        var b = Vector128.Create(1e-7f);
        Vector128<float> c0 = Vector128.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector128<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector128.FusedMultiplyAdd(c0, a, b); c1 = Vector128.FusedMultiplyAdd(c1, a, b);
            c2 = Vector128.FusedMultiplyAdd(c2, a, b); c3 = Vector128.FusedMultiplyAdd(c3, a, b);
            c4 = Vector128.FusedMultiplyAdd(c4, a, b); c5 = Vector128.FusedMultiplyAdd(c5, a, b);
            c6 = Vector128.FusedMultiplyAdd(c6, a, b); c7 = Vector128.FusedMultiplyAdd(c7, a, b);
            c8 = Vector128.FusedMultiplyAdd(c8, a, b); c9 = Vector128.FusedMultiplyAdd(c9, a, b);
            c10 = Vector128.FusedMultiplyAdd(c10, a, b); c11 = Vector128.FusedMultiplyAdd(c11, a, b);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
