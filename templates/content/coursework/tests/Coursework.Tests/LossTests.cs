using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Diagnostics;
using NeuralNets.Losses;
using NeuralNets.Testing;

namespace Coursework.Tests;

public class LossTests
{
    private static Tensor<double> Logits(int seed)
    {
        var random = new Random(seed);
        var values = new double[4 * 3];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 6 - 3;
        return Tensor.Create(values, [4, 3]);
    }

    private static readonly Tensor<double> Labels = Tensor.Create(new double[] { 0, 2, 1, 2 }, [4]);

    [Fact]
    public void SoftmaxCrossEntropyLossForward_AnyLogits_EqualsTheLibrarysLoss()
    {
        var logits = Logits(seed: 1);

        new SoftmaxCrossEntropyLoss().Forward(logits, Labels).Should().BeApproximately(new SoftmaxCrossEntropy<double>().Forward(logits, Labels), 1e-12);
    }

    [Fact]
    public void SoftmaxCrossEntropyLossForward_LogitsOfAThousand_StaysFinite()
    {
        var logits = Tensor.Create(new double[] { 1000, 0, -1000, 0, 1000, 0, 0, 0, 1000, 1000, 0, 0 }, [4, 3]);

        double.IsFinite(new SoftmaxCrossEntropyLoss().Forward(logits, Labels)).Should().BeTrue("the row maximum is subtracted before exponentiating");
    }

    [Fact]
    public void SoftmaxCrossEntropyLossBackward_AnyLogits_MatchesCentralDifferences()
    {
        GradientCheck.Loss(new SoftmaxCrossEntropyLoss(), Logits(seed: 2), Labels).Should().Pass(1e-6);
    }
}
