#if WITH_TORCH
using System.Diagnostics;
using System.Globalization;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Both libraries' training steps in one process, taking turns: after a warm-up of each, every round times about 100 ms
/// of NeuralNets' steps and about as much of TorchSharp's (which goes first alternates), and the ratio is taken per
/// round. On a host whose speed drifts from minute to minute (a neighbour on the other hyperthread, say), two separate
/// processes can meet different machines; the rounds here meet the same one, so their median ratio is the steadier figure.
/// </summary>
internal static class StepRace
{
    private const int RoundCount = 15;

    /// <summary>
    /// Runs the cases whose names contain one of <paramref name="only"/> (all without); "busy" among them also keeps one
    /// more thread of this process busy throughout, as a program's own work would: a core's worth of computing that both
    /// libraries' threads then share the cores with.
    /// </summary>
    public static void Run(string[] only)
    {
        Console.WriteLine(Torch.TorchRuntime.Prepare());
        using var busy = only.Contains("busy", StringComparer.OrdinalIgnoreCase) ? new BusyThread() : null;
        only = [.. only.Where(o => !o.Equals("busy", StringComparison.OrdinalIgnoreCase))];
        if (busy is not null) Console.WriteLine("one more thread of this process computing throughout the race");
        var cases = new (string Name, Func<TrainingStepBenchmark> Create)[]
        {
            ("MLP 784-128(σ)-10, batch 1", () => Mlp(1)),
            ("MLP 784-128(σ)-10, batch 64", () => Mlp(64)),
            ("MLP 784-128(σ)-10, batch 256", () => Mlp(256)),
            ("LeNet-like CNN, batch 64", () => { var l = new LeNetTrainingStepBenchmarks { BatchSize = 64 }; l.Setup(); return l; }),
        };
        foreach (var (name, create) in cases)
        {
            if (only.Length > 0 && !only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase))) continue;
            Race(name, create());
        }
    }

    /// <summary>Races <paramref name="bench"/>'s two sides as described above and prints one line under <paramref name="name"/>.</summary>
    public static void Race(string name, TrainingStepBenchmark bench)
    {
        Func<float>[] sides = [bench.NeuralNets, bench.TorchSharp];
        // Warm-up: well past tiering and libtorch's first-call costs; then the steps per round, from a calibration.
        var perRound = new int[2];
        for (int s = 0; s < 2; s++)
        {
            var watch = Stopwatch.StartNew();
            int steps = 0;
            while (watch.Elapsed.TotalSeconds < 1.5) { sides[s](); steps++; }
            perRound[s] = Math.Max(1, (int)(steps / 15.0));
        }
        var times = Rounds.Interleaved(Enumerable.Range(0, 2).Select(side => (Func<double>)(() =>
        {
            // A pause first, for the other side's worker threads to stop polling for work.
            Thread.Sleep(20);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < perRound[side]; i++) sides[side]();
            return watch.Elapsed.TotalSeconds / perRound[side];
        })).ToArray(), RoundCount);
        var ratios = times[1].Zip(times[0], (torchTime, ourTime) => torchTime / ourTime).ToArray();
        double ours = Rounds.Median(times[0]), theirs = Rounds.Median(times[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: NeuralNets {Micro(ours)}, TorchSharp {Micro(theirs)}; ratio per round: median {Rounds.Median(ratios):F2}×, lowest {ratios.Min():F2}×, highest {ratios.Max():F2}× ({RoundCount} rounds)"));
    }

    private static MlpTrainingStepBenchmarks Mlp(int batch)
    {
        var mlp = new MlpTrainingStepBenchmarks { BatchSize = batch };
        mlp.Setup();
        return mlp;
    }

    private static string Micro(double seconds) => seconds >= 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F3} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F1} µs");
}
#endif
