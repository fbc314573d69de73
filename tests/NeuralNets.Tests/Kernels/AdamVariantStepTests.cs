using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Adam's one-pass update with the L2 term, AdamW's decoupled decay or AMSGrad's maximum gives the bits of the passes
/// it replaced, at every vector width.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class AdamVariantStepTests
{
    public static TheoryData<int, string, bool> Cases()
    {
        var data = new TheoryData<int, string, bool>();
        foreach (int length in Lengths)
            foreach (string kind in Enum.GetNames<StepDecayKind>())
            {
                data.Add(length, kind, false);
                data.Add(length, kind, true);
            }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, string decay, bool amsgrad) => Check<float>(length, Enum.Parse<StepDecayKind>(decay), amsgrad);

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, string decay, bool amsgrad) => Check<double>(length, Enum.Parse<StepDecayKind>(decay), amsgrad);

    private static void Check<T>(int length, StepDecayKind decay, bool amsgrad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(700 + length * 6 + (int)decay * 2 + (amsgrad ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), m = Values<T>(random, length);
        T[] v = Values<T>(random, length, nonNegative: true), vMax = amsgrad ? Values<T>(random, length, nonNegative: true) : [];
        T b1 = T.CreateTruncating(0.9), b2 = T.CreateTruncating(0.999), epsilon = T.CreateTruncating(1e-8);
        T lambda = T.CreateTruncating(0.01), eta = T.CreateTruncating(1e-3), factor = T.One - eta * lambda;
        T root = T.CreateTruncating(1 / Math.Sqrt(1 - Math.Pow(0.999, 3))), stepSize = eta / T.CreateTruncating(1 - Math.Pow(0.9, 3));

        var expected = Copies(w, m, v, vMax);
        FormerOptimizerPasses<T>.Adam(expected[0], g, expected[1], expected[2], amsgrad ? expected[3] : null, decay == StepDecayKind.L2 ? lambda : T.Zero,
            decay == StepDecayKind.Decoupled ? factor : null, b1, b2, root, epsilon, stepSize);
        var stepDecay = decay switch
        {
            StepDecayKind.L2 => StepDecay<T>.L2(lambda),
            StepDecayKind.Decoupled => StepDecay<T>.Decoupled(factor),
            _ => StepDecay<T>.None,
        };
        var coefficients = new AdamVariantStep.Coefficients<T>(b1, T.One - b1, b2, T.One - b2, root, epsilon, -stepSize);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, m, v, vMax);
            AdamVariantStep.Apply<T>(run[0], g, run[1], run[2], run[3], stepDecay, amsgrad, coefficients);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"exp_avg at {bits} bits");
            result[2].ShouldHaveBitsOf(expected[2], $"exp_avg_sq at {bits} bits");
            result[3].ShouldHaveBitsOf(expected[3], $"max_exp_avg_sq at {bits} bits");
        }
    }
}
