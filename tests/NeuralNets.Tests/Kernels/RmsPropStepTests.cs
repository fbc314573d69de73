using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>RMSprop's one-pass update gives the bits of the passes it replaced, at every vector width, centered or not, with momentum or without.</summary>
[Collection(NarrowedWidth.Name)]
public class RmsPropStepTests
{
    public static TheoryData<int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool, bool>();
        foreach (int length in Lengths)
            foreach (bool l2 in new[] { false, true })
                foreach (bool centered in new[] { false, true })
                {
                    data.Add(length, l2, centered, false);
                    data.Add(length, l2, centered, true);
                }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, bool l2, bool centered, bool momentum) => Check<float>(length, l2, centered, momentum);

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, bool l2, bool centered, bool momentum) => Check<double>(length, l2, centered, momentum);

    private static void Check<T>(int length, bool l2, bool centered, bool momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(500 + length * 8 + (l2 ? 4 : 0) + (centered ? 2 : 0) + (momentum ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), v = Values<T>(random, length, nonNegative: true);
        T[] mean = centered ? Values<T>(random, length) : [], b = momentum ? Values<T>(random, length) : [];
        T lambda = l2 ? T.CreateTruncating(0.01) : T.Zero, alpha = T.CreateTruncating(0.99), epsilon = T.CreateTruncating(1e-8);
        T mu = T.CreateTruncating(0.5), eta = T.CreateTruncating(0.01);

        var expected = Copies(w, v, mean, b);
        FormerOptimizerPasses<T>.RmsProp(expected[0], g, expected[1], centered ? expected[2] : null, momentum ? expected[3] : null, lambda, alpha, epsilon, mu, eta);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, v, mean, b);
            RmsPropStep.Apply<T>(run[0], g, run[1], run[2], run[3], lambda, alpha, T.One - alpha, epsilon, mu, -eta, centered, momentum);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"square_avg at {bits} bits");
            result[2].ShouldHaveBitsOf(expected[2], $"grad_avg at {bits} bits");
            result[3].ShouldHaveBitsOf(expected[3], $"momentum_buffer at {bits} bits");
        }
    }
}
