using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>Adadelta's one-pass update gives the bits of the passes it replaced, at every vector width.</summary>
[Collection(NarrowedWidth.Name)]
public class AdadeltaStepTests
{
    public static TheoryData<int, bool> Cases => LengthsAndDecay();

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, bool l2) => Check<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, bool l2) => Check<double>(length, l2);

    private static void Check<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(400 + length * 2 + (l2 ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length);
        T[] squareAverage = Values<T>(random, length, nonNegative: true), accumulatedDelta = Values<T>(random, length, nonNegative: true);
        T lambda = l2 ? T.CreateTruncating(0.01) : T.Zero, rho = T.CreateTruncating(0.9), epsilon = T.CreateTruncating(1e-6), eta = T.CreateTruncating(1.0);

        var expected = Copies(w, squareAverage, accumulatedDelta);
        FormerOptimizerPasses<T>.Adadelta(expected[0], g, expected[1], expected[2], lambda, rho, epsilon, eta);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, squareAverage, accumulatedDelta);
            AdadeltaStep.Apply<T>(run[0], g, run[1], run[2], lambda, rho, T.One - rho, epsilon, -eta);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"E[g²] at {bits} bits");
            result[2].ShouldHaveBitsOf(expected[2], $"E[Δw²] at {bits} bits");
        }
    }
}
