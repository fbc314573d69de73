using System.Numerics;
using NeuralNets.Kernels;
using static NeuralNets.Tests.Kernels.StepInputs;

namespace NeuralNets.Tests.Kernels;

/// <summary>Momentum's and Nesterov's one-pass updates give the bits of the passes they replaced, or in PyTorch's convention of each operation in turn, at every vector width.</summary>
[Collection(NarrowedWidth.Name)]
public class MomentumStepTests
{
    public static TheoryData<int, bool> Cases => LengthsAndDecay();

    [Theory, MemberData(nameof(Cases))]
    public void Momentum_Float_EveryWidth_SameBitsAsThePasses(int length, bool l2) => CheckMomentum<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void Momentum_Double_EveryWidth_SameBitsAsThePasses(int length, bool l2) => CheckMomentum<double>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void MomentumPyTorchConvention_Float_EveryWidth_SameBitsAsElementByElement(int length, bool l2) => CheckPyTorchMomentum<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void MomentumPyTorchConvention_Double_EveryWidth_SameBitsAsElementByElement(int length, bool l2) => CheckPyTorchMomentum<double>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void NesterovPyTorchConvention_Float_EveryWidth_SameBitsAsElementByElement(int length, bool l2) => CheckPyTorchNesterov<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void NesterovPyTorchConvention_Double_EveryWidth_SameBitsAsElementByElement(int length, bool l2) => CheckPyTorchNesterov<double>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void Nesterov_Float_EveryWidth_SameBitsAsThePasses(int length, bool l2) => CheckNesterov<float>(length, l2);

    [Theory, MemberData(nameof(Cases))]
    public void Nesterov_Double_EveryWidth_SameBitsAsThePasses(int length, bool l2) => CheckNesterov<double>(length, l2);

    private static void CheckMomentum<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length * 2 + (l2 ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), v = Values<T>(random, length);
        T lambda = l2 ? T.CreateTruncating(0.01) : T.Zero, gamma = T.CreateTruncating(0.9);
        T scale = (T.One - T.CreateTruncating(0.1)) * T.CreateTruncating(0.05); // (1 − τ)·η, as Momentum rounds it

        var expected = Copies(w, v);
        FormerOptimizerPasses<T>.Momentum(expected[0], g, expected[1], lambda, gamma, scale);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, v);
            MomentumStep.Apply<T>(run[0], run[0], g, run[1], lambda, gamma, scale, T.One);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"v at {bits} bits");
        }
    }

    // PyTorch's buffer of gradients: b ← ĝ·(1 − τ) + b·γ; w ← w − b·η, each operation rounded once, in that order.
    private static void CheckPyTorchMomentum<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(200 + length * 2 + (l2 ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), b = Values<T>(random, length);
        T lambda = l2 ? T.CreateTruncating(0.01) : T.Zero, gamma = T.CreateTruncating(0.9);
        T scale = T.One - T.CreateTruncating(0.1), eta = T.CreateTruncating(0.05);

        var expected = Copies(w, b);
        for (int i = 0; i < length; i++)
        {
            T gi = l2 ? expected[0][i] * lambda + g[i] : g[i];
            T bi = gi * scale + expected[1][i] * gamma;
            expected[1][i] = bi;
            expected[0][i] -= bi * eta;
        }
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, b);
            MomentumStep.Apply<T>(run[0], run[0], g, run[1], lambda, gamma, scale, eta);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"b at {bits} bits");
        }
    }

    // PyTorch's Nesterov: b ← ĝ + b·γ; θ ← θ − (ĝ + b·γ)·η, each operation rounded once, in that order.
    private static void CheckPyTorchNesterov<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(300 + length * 2 + (l2 ? 1 : 0));
        T[] theta = Values<T>(random, length), g = Values<T>(random, length), b = Values<T>(random, length);
        T lambda = l2 ? T.CreateTruncating(5e-4) : T.Zero, gamma = T.CreateTruncating(0.9), eta = T.CreateTruncating(0.03);

        var expected = Copies(theta, b);
        for (int i = 0; i < length; i++)
        {
            T gi = l2 ? expected[0][i] * lambda + g[i] : g[i];
            T bi = gi + expected[1][i] * gamma;
            expected[1][i] = bi;
            expected[0][i] -= (gi + bi * gamma) * eta;
        }
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(theta, b);
            NesterovBufferStep.Apply<T>(run[0], g, run[1], lambda, gamma, eta);
            return run;
        }))
        {
            result[0].ShouldHaveBitsOf(expected[0], $"θ at {bits} bits");
            result[1].ShouldHaveBitsOf(expected[1], $"b at {bits} bits");
        }
    }

    // The look-ahead, then the update from the kept weights, with the gradient the evaluation left in between.
    private static void CheckNesterov<T>(int length, bool l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(100 + length * 2 + (l2 ? 1 : 0));
        T[] w = Values<T>(random, length), g = Values<T>(random, length), v = Values<T>(random, length);
        T lambda = l2 ? T.CreateTruncating(5e-4) : T.Zero, gamma = T.CreateTruncating(0.9), eta = T.CreateTruncating(0.03);

        var expected = Copies(w, v, new T[length]);
        FormerOptimizerPasses<T>.NesterovLookAhead(expected[0], expected[2], expected[1], gamma);
        var expectedLookAhead = (T[])expected[0].Clone();
        FormerOptimizerPasses<T>.NesterovUpdate(expected[0], expected[2], g, expected[1], lambda, gamma, eta);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            var run = Copies(w, v, new T[length]);
            MomentumStep.LookAhead<T>(run[0], run[2], run[1], -gamma);
            var lookAhead = (T[])run[0].Clone();
            MomentumStep.Apply<T>(run[0], run[2], g, run[1], lambda, gamma, eta, T.One);
            return (run, lookAhead);
        }))
        {
            result.lookAhead.ShouldHaveBitsOf(expectedLookAhead, $"the look-ahead point at {bits} bits");
            result.run[2].ShouldHaveBitsOf(w, $"the kept weights at {bits} bits");
            result.run[0].ShouldHaveBitsOf(expected[0], $"w at {bits} bits");
            result.run[1].ShouldHaveBitsOf(expected[1], $"v at {bits} bits");
        }
    }
}
