using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Lists the library's methods the JIT compiles from a moment on (the runtime's method-load events, in this process): which
/// of them a fresh process recompiles after its first training step. <c>FS_JIT=1 … firstsecond</c> prints them.
/// </summary>
internal sealed class JitListing : EventListener
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(double Milliseconds, string Method, int Tier)> _compiled = [];
    // When each method's compile began, by method id, on the events' own clock (they reach a listener in batches).
    private readonly Dictionary<long, double> _started = [];
    private readonly List<(string Method, double CompileMilliseconds, long CodeBytes, int Tier)> _costs = [];
    private double _from = double.MaxValue;

    /// <summary>Whether <see cref="PrintLibraryMethods"/> lists the runtime's and the benchmark's methods too.</summary>
    public bool EveryMethod { get; init; }

    /// <summary>Counts compiles from now on.</summary>
    public void StartCounting()
    {
        lock (_compiled) _from = _clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Prints the NeuralNets methods compiled since <see cref="StartCounting"/>, with the tier the runtime reported.</summary>
    public void PrintLibraryMethods()
    {
        lock (_compiled)
        {
            var library = _compiled.Where(c => EveryMethod || c.Method.StartsWith("NeuralNets.", StringComparison.Ordinal) && !c.Method.StartsWith("NeuralNets.Benchmarks.", StringComparison.Ordinal)).ToList();
            // A method compiled twice here was left to the tiers (an instrumented, then a tier-1 compile on a background
            // thread); one compiled once is a first compile (the library's warm-up on its own thread, fully optimised: tier 2).
            var recompiled = library.GroupBy(c => c.Method).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            Console.WriteLine($"library methods compiled after the first call: {library.Count}, of which recompiled (left to the tiers): {recompiled.Count} (all methods: {_compiled.Count})");
            foreach (var (milliseconds, method, tier) in library)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {milliseconds,8:F1} ms  tier {tier}  {(recompiled.Contains(method) ? "recompiled  " : "")}{method}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // The JIT keyword (0x10) of the runtime's provider: one MethodLoadVerbose event per compiled method.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
    }

    /// <summary>
    /// Prints every method compiled since <see cref="StartCounting"/> by its compile time (from the runtime's
    /// jitting-started event to its load event), longest first, with its machine code's size: where a first call's
    /// compiling goes.
    /// </summary>
    public void PrintCompileCosts(int top)
    {
        lock (_compiled)
        {
            double total = _costs.Sum(c => c.CompileMilliseconds);
            long bytes = _costs.Sum(c => c.CodeBytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compiled since counting: {_costs.Count} methods, {total:F1} ms, {bytes / 1024.0:F1} KB of code"));
            foreach (var group in _costs.GroupBy(c => c.Method.StartsWith("NeuralNets.", StringComparison.Ordinal) && !c.Method.StartsWith("NeuralNets.Benchmarks.", StringComparison.Ordinal) ? "library" : "other"))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()} methods, {group.Sum(c => c.CompileMilliseconds):F1} ms, {group.Sum(c => c.CodeBytes) / 1024.0:F1} KB"));
            foreach (var (method, milliseconds, codeBytes, tier) in _costs.OrderByDescending(c => c.CompileMilliseconds).Take(top))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {milliseconds,7:F2} ms {codeBytes,7} B  tier {tier}  {method}"));
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not null && e.EventName.StartsWith("MethodJittingStarted", StringComparison.Ordinal) && e.PayloadNames is not null && e.Payload is not null)
        {
            int id = e.PayloadNames.IndexOf("MethodID");
            if (id >= 0) lock (_compiled) _started[Convert.ToInt64(e.Payload[id], CultureInfo.InvariantCulture)] = e.TimeStamp.Ticks / (double)TimeSpan.TicksPerMillisecond;
            return;
        }
        if (e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.PayloadNames is null || e.Payload is null) return;
        int space = e.PayloadNames.IndexOf("MethodNamespace"), name = e.PayloadNames.IndexOf("MethodName"), flags = e.PayloadNames.IndexOf("MethodFlags");
        if (space < 0 || name < 0 || flags < 0) return;
        double now = _clock.Elapsed.TotalMilliseconds;
        lock (_compiled)
        {
            if (now < _from) return;
            // The method's optimisation tier sits in bits 7 to 9 of its flags.
            string method = $"{e.Payload[space]}::{e.Payload[name]}";
            int tier = (int)((Convert.ToInt64(e.Payload[flags], CultureInfo.InvariantCulture) >> 7) & 7);
            _compiled.Add((now - _from, method, tier));
            int id = e.PayloadNames.IndexOf("MethodID"), size = e.PayloadNames.IndexOf("MethodSize");
            if (id >= 0 && size >= 0 && _started.Remove(Convert.ToInt64(e.Payload[id], CultureInfo.InvariantCulture), out double began))
                _costs.Add((method, e.TimeStamp.Ticks / (double)TimeSpan.TicksPerMillisecond - began, Convert.ToInt64(e.Payload[size], CultureInfo.InvariantCulture), tier));
        }
    }
}
