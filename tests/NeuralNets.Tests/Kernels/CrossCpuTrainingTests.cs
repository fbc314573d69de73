using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Same seed, same weights on every CPU of a numeric family (<see cref="KernelWidth"/>: fused with a hardware FMA,
/// unfused without). In process: the reference runs give the same weights bit for bit with every kernel width
/// forced (512, 256, 128 bits, scalar), in the hardware's family and in the unfused one forced. Across runtimes:
/// each family's fingerprint is a checked-in constant, so CI's default and AVX-512-off runs and the ARM64 checks
/// under qemu assert the fused one, CI's AVX2-off and intrinsics-off runs the unfused one, all on the runtime's
/// own code paths (including TensorPrimitives' widths, which no forced width reaches).
/// </summary>
[Collection(NarrowedWidth.Name)]
public class CrossCpuTrainingTests
{
    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Mlp_SigmoidSoftmaxCrossEntropy_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.Mlp, unfused));

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Cnn_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.Cnn, unfused));

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void DoubleMlp_SoftmaxLayer_EveryWidthSameWeights(bool unfused) => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.DoubleSoftmaxMlp, unfused));

    [Fact]
    public void Fingerprint_OfTheReferenceRuns_IsTheRecordedOneOfTheHardwaresFamily()
        => ReferenceTraining.FingerprintText().Should().Be(ReferenceTraining.ExpectedFingerprint,
            $"the weights must not depend on the CPU within a family (here: {Describe()})");

    [Fact]
    public void Fingerprint_UnfusedFamilyForced_IsTheRecordedUnfusedOne()
        => NarrowedWidth.InFamily(unfused: true, ReferenceTraining.FingerprintText).Should().Be(ReferenceTraining.ExpectedUnfusedFingerprint,
            $"the unfused family forced must give the weights of CPUs without FMA (this runtime: {Describe()})");

    [Fact]
    public void Families_GiveDifferentWeights_SoTheSwitchIsReal()
    {
        // Documents that the two families do not agree bit for bit (only to rounding), and that forcing the
        // unfused family on an FMA machine changes what the kernels compute.
        ReferenceTraining.ExpectedFusedFingerprint.Should().NotBe(ReferenceTraining.ExpectedUnfusedFingerprint);
        var fused = NarrowedWidth.InFamily(unfused: false, ReferenceTraining.Mlp);
        var unfused = NarrowedWidth.InFamily(unfused: true, ReferenceTraining.Mlp);
        if (KernelWidth.HardwareFma)
            fused.SelectMany(p => p).Should().NotEqual(unfused.SelectMany(p => p), "forcing the unfused family must change the arithmetic");
        for (int p = 0; p < fused.Length; p++)
            for (int i = 0; i < fused[p].Length; i++)
                fused[p][i].Should().BeApproximately(unfused[p][i], 1e-4f, $"parameter {p}[{i}]: the families differ only by rounding");
    }

    private static string Describe()
        => $"{(KernelWidth.FusedFamily ? "fused" : "unfused")} family, multiply-add kernels {KernelWidth.MultiplyAdd} bits, exact {KernelWidth.HardwareExact} bits, {Environment.ProcessorCount} processors";

    private static void Same<T>(List<(int Bits, T[][] Weights)> widths)
    {
        var widest = widths[0].Weights;
        widest.Sum(p => p.Length).Should().BeGreaterThan(0);
        foreach (var (bits, weights) in widths)
            for (int p = 0; p < weights.Length; p++)
                weights[p].Should().Equal(widest[p], $"parameter {p} at {bits} bits must equal the widest path's");
    }
}
