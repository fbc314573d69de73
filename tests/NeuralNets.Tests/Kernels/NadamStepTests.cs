using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>NAdam's one-pass update gives the bits of the passes it replaced, at every vector width, with no decay, the L2 term or decoupled decay.</summary>
[Collection(NarrowedWidth.Name)]
public class NadamStepTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (int length in Lengths)
            foreach (string kind in Enum.GetNames<StepDecayKind>())
                data.Add(length, kind);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Float_EveryWidth_SameBitsAsThePasses(int length, string decay) => Check<float>(length, Enum.Parse<StepDecayKind>(decay));

    [Theory, MemberData(nameof(Cases))]
    public void Double_EveryWidth_SameBitsAsThePasses(int length, string decay) => Check<double>(length, Enum.Parse<StepDecayKind>(decay));

    private static void Check<T>(int length, StepDecayKind decay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(600 + length * 3 + (int)decay);
        T[] w = Values<T>(random, length), g = Values<T>(random, length), m = Values<T>(random, length), v = Values<T>(random, length, nonNegative: true);
        T beta1 = T.CreateTruncating(0.9), beta2 = T.CreateTruncating(0.999), epsilon = T.CreateTruncating(1e-8);
        T lambda = T.CreateTruncating(0.01), eta = T.CreateTruncating(2e-3), factor = T.One - eta * lambda;
        T secondCorrection = T.CreateTruncating(1 - Math.Pow(0.999, 3));
        T gradientStep = T.CreateTruncating(-0.0021), momentumStep = T.CreateTruncating(-0.0173);

        var expected = Copies(w, m, v);
        FormerOptimizerPasses<T>.Nadam(expected[0], g, expected[1], expected[2], decay == StepDecayKind.L2 ? lambda : T.Zero,
            decay == StepDecayKind.Decoupled ? factor : null, beta1, beta2, secondCorrection, epsilon, gradientStep, momentumStep);
        var stepDecay = decay switch
        {
            StepDecayKind.L2 => StepDecay<T>.L2(lambda),
            StepDecayKind.Decoupled => StepDecay<T>.Decoupled(factor),
            _ => StepDecay<T>.None,
        };
        var coefficients = new NadamStep.Coefficients<T>(T.One - beta1, beta2, T.One - beta2, secondCorrection, epsilon, gradientStep, momentumStep);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, m, v);
            NadamStep.Apply<T>(run[0], g, run[1], run[2], stepDecay, coefficients);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"exp_avg at {bits} bits");
            result[2].ShouldHaveBitsOf(expected[2], $"exp_avg_sq at {bits} bits");
        }
    }
}
