using System.Globalization;

namespace NeuralNets.Benchmarks;

/// <summary>
/// How much CPU time the hypervisor took from this virtual machine while a benchmark ran ("steal" in Linux's
/// <c>/proc/stat</c>), printed when disposed. On a shared host the vCPUs lose a third or more of their time at
/// moments, and a figure taken then is the neighbours' more than the library's: a run should say so beside its
/// figures. Nothing is printed where <c>/proc/stat</c> is missing (not Linux).
/// </summary>
internal sealed class StealReport : IDisposable
{
    private readonly long[]? _start = Read();

    public void Dispose()
    {
        var end = Read();
        if (_start is null || end is null) return;
        long total = 0;
        for (int i = 0; i < end.Length; i++) total += end[i] - _start[i];
        long steal = end.Length > 7 ? end[7] - _start[7] : 0;
        if (total <= 0) return;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steal: the hypervisor took {100.0 * steal / total:F1} % of this machine's CPU time during the run (/proc/stat)"));
    }

    // The "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice, in clock ticks over all CPUs.
    private static long[]? Read()
    {
        try
        {
            string? line = File.ReadLines("/proc/stat").FirstOrDefault();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
