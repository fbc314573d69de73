using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>SGD's one-pass update, the L2 term included, gives the bits of the passes it replaced, at every vector width.</summary>
[Collection(NarrowedWidth.Name)]
public class SgdStepTests
{
    public static TheoryData<int, bool> Cases => LengthsAndDecay();

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, bool l2) => Check<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, bool l2) => Check<double>(length, l2);

    private static void Check<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(200 + length * 2 + (l2 ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length);
        T lambda = l2 ? T.CreateTruncating(1e-3) : T.Zero, eta = T.CreateTruncating(0.1);

        var expected = (T[])w.Clone();
        FormerOptimizerPasses<T>.Sgd(expected, g, lambda, eta);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = (T[])w.Clone();
            SgdStep.Apply<T>(run, g, lambda, -eta);
            return run;
        }))
            result.ShouldHaveBitsOf(expected, $"w at {bits} bits");
    }
}
