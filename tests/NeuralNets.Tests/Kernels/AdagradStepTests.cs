using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>Adagrad's one-pass update gives the bits of the passes it replaced, at every vector width, with ε inside or after the root.</summary>
[Collection(NarrowedWidth.Name)]
public class AdagradStepTests
{
    public static TheoryData<int, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int length in Lengths)
            foreach (bool l2 in new[] { false, true })
            {
                data.Add(length, l2, true);
                data.Add(length, l2, false);
            }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, bool l2, bool insideRoot) => Check<float>(length, l2, insideRoot);

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, bool l2, bool insideRoot) => Check<double>(length, l2, insideRoot);

    private static void Check<T>(int length, bool l2, bool insideRoot) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(300 + length * 4 + (l2 ? 2 : 0) + (insideRoot ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), sum = Values<T>(random, length, nonNegative: true);
        T lambda = l2 ? T.CreateTruncating(0.02) : T.Zero, epsilon = T.CreateTruncating(1e-10);
        T rate = T.CreateTruncating(0.5) / T.CreateTruncating(1 + 2 * 0.01); // η_t at step 3 with lr_decay 0.01, as Adagrad rounds it

        var expected = Copies(w, sum);
        FormerOptimizerPasses<T>.Adagrad(expected[0], g, expected[1], lambda, epsilon, insideRoot, rate);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, sum);
            AdagradStep.Apply<T>(run[0], g, run[1], lambda, epsilon, insideRoot, -rate);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"the sum at {bits} bits");
        }
    }
}
