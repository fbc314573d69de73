using System.Diagnostics;

namespace NeuralNets.Benchmarks;

/// <summary>
/// BenchmarkDotNet raises the benchmark thread to the highest priority (and, on Windows, the process
/// to High), but not the worker threads a multi-threaded library computes on: NeuralNets' worker team
/// here, OpenMP in libtorch. On a busy machine the starved workers then stall the raised thread at
/// every join, and libtorch's steps came out 10–100× slower than its plain loop. Every suite calls
/// this from its global setup to put its thread back to normal, so that all threads compete alike.
/// </summary>
internal static class FairScheduling
{
    public static void Apply()
    {
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.Normal;
            using var process = Process.GetCurrentProcess();
            process.PriorityClass = ProcessPriorityClass.Normal;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
        {
            // Not permitted here: measure as BenchmarkDotNet left it.
        }
    }
}
