using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Tests that narrow every kernel's vector width (<see cref="KernelWidth.Limit"/>, process-wide): they run alone,
/// so that no other test runs on a narrowed width while they do.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NarrowedWidth
{
    public const string Name = "Narrowed kernel width";

    /// <summary>512, 256, 128 bits and scalar: every width, whether or not this CPU has it (the kernels clamp to the hardware's).</summary>
    public static readonly int[] Widths = [512, 256, 128, KernelWidth.Scalar];

    /// <summary>The results of <paramref name="run"/> at every width, widest first.</summary>
    public static List<(int Bits, T Result)> AtEveryWidth<T>(Func<T> run)
    {
        var results = new List<(int, T)>();
        foreach (int bits in Widths)
            using (KernelWidth.Limit(bits)) results.Add((bits, run()));
        return results;
    }
}
