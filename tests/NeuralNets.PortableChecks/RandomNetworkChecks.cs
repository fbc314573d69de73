using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Tests.Integration;
using NeuralNets.Tests.Kernels;

namespace NeuralNets.PortableChecks;

/// <summary>
/// The test suite's networks drawn at random (<see cref="RandomNetwork{T}"/>), checked on this CPU's own paths: a training
/// pass of each, whatever layers it fuses, gives the bits of its layers run one by one, on one thread as on the team, and
/// at every kernel width.
/// </summary>
internal static class RandomNetworkChecks
{
    private static readonly int[] Widths = [512, 256, 128, KernelWidth.Scalar];

    public static string? TrainingPasses<T>(int firstSeed, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var drawn = new RandomNetwork<T>(seed, large: false);
            var x = drawn.Input(seed + 100);
            var dy = drawn.OutputGradient(seed + 200);
            // Dropout draws its mask anew each pass: such a network's passes differ from each other (its fingerprint still counts).
            if (drawn.HasDropout) continue;
            var expected = RandomNetwork<T>.TrainingPass(drawn.Build(), x, dy, inTurn: false);
            string? problem = Differs(expected, RandomNetwork<T>.TrainingPass(drawn.Build(), x, dy, inTurn: true), "its layers in turn");
            Parallelism.MaxThreads = 1;
            try
            {
                problem ??= Differs(expected, RandomNetwork<T>.TrainingPass(drawn.Build(), x, dy, inTurn: false), "one thread");
            }
            finally
            {
                Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
            }
            foreach (int bits in Widths)
                using (KernelWidth.Limit(bits))
                    problem ??= Differs(expected, RandomNetwork<T>.TrainingPass(drawn.Build(), x, dy, inTurn: false), $"{bits} bits");
            if (problem != null) return $"seed {seed}, {drawn.Description}: {problem}";
        }
        return null;
    }

    /// <summary>
    /// A fingerprint of the training passes of the networks of <see cref="TrainingPasses{T}"/>'s seeds, in the runtime's own
    /// numeric family or the unfused one: CI compares it across x64, ARM64 and Windows, where the library promises the
    /// same bits within a family.
    /// </summary>
    public static string Fingerprint(bool unfused)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        var fingerprint = new WeightFingerprint();
        for (int seed = FloatSeeds.First; seed < FloatSeeds.First + FloatSeeds.Count; seed++)
            foreach (var values in Drawn<float>(seed)) fingerprint.Add(values);
        for (int seed = DoubleSeeds.First; seed < DoubleSeeds.First + DoubleSeeds.Count; seed++)
            foreach (var values in Drawn<double>(seed)) fingerprint.Add(values);
        return fingerprint.Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The seeds checked in float and in double.</summary>
    public static readonly (int First, int Count) FloatSeeds = (1, 24), DoubleSeeds = (101, 8);

    // The seed's network's training pass; Dropout's masks come from its seeded stream, the same on every CPU too.
    private static List<T[]> Drawn<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var drawn = new RandomNetwork<T>(seed, large: false);
        return RandomNetwork<T>.TrainingPass(drawn.Build(), drawn.Input(seed + 100), drawn.OutputGradient(seed + 200), inTurn: false);
    }

    private static string? Differs<T>(List<T[]> expected, List<T[]> actual, string against) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int part = 0; part < expected.Count; part++)
            for (int i = 0; i < expected[part].Length; i++)
                if (!SameBits(expected[part][i], actual[part][i]))
                    return $"{against}: {RandomNetwork<T>.PartName(part)}, element {i}: {actual[part][i]} against {expected[part][i]}";
        return null;
    }

    // −0 apart from +0; every NaN alike.
    private static bool SameBits<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsNaN(a) ? T.IsNaN(b) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(b));
}
