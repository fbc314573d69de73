using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Same seed, same weights on every CPU. In process: the reference runs give the same weights bit for bit with
/// every kernel width forced (512, 256, 128 bits, scalar). Across runtimes: their fingerprint is a checked-in
/// constant, so CI's runs with AVX-512, AVX2 or all intrinsics turned off, and the ARM64 checks under qemu, all
/// assert the same weights on the runtime's own code paths (including TensorPrimitives' widths, which no forced
/// width reaches).
/// </summary>
[Collection(NarrowedWidth.Name)]
public class CrossCpuTrainingTests
{
    [Fact]
    public void Mlp_SigmoidSoftmaxCrossEntropy_EveryWidthSameWeights() => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.Mlp));

    [Fact]
    public void Cnn_EveryWidthSameWeights() => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.Cnn));

    [Fact]
    public void DoubleMlp_SoftmaxLayer_EveryWidthSameWeights() => Same(NarrowedWidth.AtEveryWidth(ReferenceTraining.DoubleSoftmaxMlp));

    [Fact]
    public void Fingerprint_OfTheReferenceRuns_IsTheRecordedOne()
        => ReferenceTraining.FingerprintText().Should().Be(ReferenceTraining.ExpectedFingerprint,
            $"the weights must not depend on the CPU (here: fused kernels {KernelWidth.HardwareFused} bits, exact {KernelWidth.HardwareExact} bits, {Environment.ProcessorCount} processors)");

    private static void Same<T>(List<(int Bits, T[][] Weights)> widths)
    {
        var widest = widths[0].Weights;
        widest.Sum(p => p.Length).Should().BeGreaterThan(0);
        foreach (var (bits, weights) in widths)
            for (int p = 0; p < weights.Length; p++)
                weights[p].Should().Equal(widest[p], $"parameter {p} at {bits} bits must equal the widest path's");
    }
}
