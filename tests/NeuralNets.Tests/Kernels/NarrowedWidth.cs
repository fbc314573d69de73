using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Tests that narrow every kernel's vector width (<see cref="KernelWidth.Limit"/>, process-wide) or force the unfused
/// numeric family (<see cref="KernelWidth.ForceUnfused"/>): they run alone, so that no other test runs on a narrowed
/// width or another family while they do.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NarrowedWidth
{
    public const string Name = "Narrowed kernel width";

    /// <summary>512, 256, 128 bits and scalar: every width, whether or not this CPU has it (the kernels clamp to the hardware's).</summary>
    public static readonly int[] Widths = [512, 256, 128, KernelWidth.Scalar];

    /// <summary>
    /// Both numeric families, as the <c>unfused</c> argument of a theory: false, the hardware's own (fused on this x86,
    /// unfused under CI's AVX2-off and intrinsics-off runs); true, the unfused family forced.
    /// </summary>
    public static TheoryData<bool> Families => new() { false, true };

    /// <summary>The results of <paramref name="run"/> at every width, widest first, in the hardware's family or the unfused one.</summary>
    public static List<(int Bits, T Result)> AtEveryWidth<T>(Func<T> run, bool unfused = false)
    {
        var results = new List<(int, T)>();
        using var family = KernelWidth.ForceUnfused(unfused);
        foreach (int bits in Widths)
            using (KernelWidth.Limit(bits)) results.Add((bits, run()));
        return results;
    }

    /// <summary>What <paramref name="run"/> returns in the hardware's family or the unfused one, at the family's widest width.</summary>
    public static T InFamily<T>(bool unfused, Func<T> run)
    {
        using var family = KernelWidth.ForceUnfused(unfused);
        return run();
    }
}
