using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tests;
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
            var expected = Pass(drawn.Build(), x, dy, inTurn: false);
            string? problem = null;
            // Dropout draws its mask anew each pass: its networks are compared on nothing but their first pass's shape.
            if (drawn.Build().Layers.Any(layer => layer is Dropout<T>)) continue;
            problem ??= Differs(expected, Pass(drawn.Build(), x, dy, inTurn: true), "its layers in turn");
            Parallelism.MaxThreads = 1;
            try
            {
                problem ??= Differs(expected, Pass(drawn.Build(), x, dy, inTurn: false), "one thread");
            }
            finally
            {
                Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
            }
            foreach (int bits in Widths)
                using (KernelWidth.Limit(bits))
                    problem ??= Differs(expected, Pass(drawn.Build(), x, dy, inTurn: false), $"{bits} bits");
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

    private static List<T[]> Drawn<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var drawn = new RandomNetwork<T>(seed, large: false);
        var pass = Pass(drawn.Build(), drawn.Input(seed + 100), drawn.OutputGradient(seed + 200), inTurn: false);
        // Dropout's masks come from the seeded stream: the same on every CPU too.
        return pass;
    }

    // The output, the input gradient and every parameter's gradient of one training pass.
    private static List<T[]> Pass<T>(Sequential<T> network, Tensor<T> x, Tensor<T> dy, bool inTurn) where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.ZeroGradients();
        Tensor<T> output = x, inputGradient = dy;
        if (inTurn)
        {
            foreach (var layer in network.Layers) output = layer.Forward(output, training: true);
            for (int i = network.Layers.Count - 1; i >= 0; i--) inputGradient = network.Layers[i].Backward(inputGradient);
        }
        else
        {
            output = network.Forward(x, training: true);
            inputGradient = network.Backward(dy);
        }
        return [output.ToArray(), inputGradient.ToArray(), .. network.Parameters.Select(p => p.GradientSpan.ToArray())];
    }

    private static string? Differs<T>(List<T[]> expected, List<T[]> actual, string against) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int part = 0; part < expected.Count; part++)
            for (int i = 0; i < expected[part].Length; i++)
                if (!SameBits(expected[part][i], actual[part][i]))
                    return $"{against}: {(part == 0 ? "output" : part == 1 ? "input gradient" : $"parameter {part - 2}'s gradient")} element {i}: {actual[part][i]} against {expected[part][i]}";
        return null;
    }

    // −0 apart from +0; every NaN alike.
    private static bool SameBits<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsNaN(a) ? T.IsNaN(b) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(b));
}
