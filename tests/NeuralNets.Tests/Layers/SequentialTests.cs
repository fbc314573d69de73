using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

public class SequentialTests
{
    private static Sequential<double> Mlp() => Network.Sequential<double>(3).Dense(5).Tanh().Dense(2).Build(seed: 4);

    [Fact]
    public void Predict_Batch_MatchesForward()
    {
        var network = Mlp();
        var x = TestTensors.Random<double>(1, 6, 3);

        var predicted = network.Predict(x).ToArray();
        var forward = network.Forward(x, training: false).ToArray();

        predicted.Should().Equal(forward);
    }

    [Fact]
    public void Predict_Batch_IsNotOverwrittenByLaterCalls()
    {
        var network = Mlp();
        var first = network.Predict(TestTensors.Random<double>(1, 6, 3));
        var copy = first.ToArray();

        network.Predict(TestTensors.Random<double>(2, 6, 3));

        first.ToArray().Should().Equal(copy);
    }

    [Fact]
    public void Predict_SingleSample_MatchesItsRowOfTheBatch()
    {
        var network = Mlp();
        var x = TestTensors.Random<double>(1, 6, 3);
        var batch = network.Predict(x).ToArray();
        var rows = x.ToArray();

        // A single row may take the kernel's matrix-vector path, which sums in another order than the
        // batched panels: equal to rounding, not bit for bit (PyTorch gives no batch invariance either).
        for (int n = 0; n < 6; n++)
            network.Predict(rows.AsSpan(n * 3, 3)).Should().Equal(batch[(n * 2)..(n * 2 + 2)], (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Max(1, Math.Abs(b)), $"sample {n}");
    }

    [Fact]
    public void Predict_SampleOfWrongLength_ThrowsNamingBothShapes()
    {
        var act = () => Mlp().Predict(new double[4]);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*3 values [3]*[4]*");
    }

    [Fact]
    public void Forward_WrongInputWidth_ThrowsNamingLayerAndBothShapes()
    {
        var dense = new Dense<double>(3, 2, seed: 1);
        var act = () => dense.Forward(TestTensors.Random<double>(1, 4, 5), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("Dense(3 → 2): expected input of shape [N, 3] but got [4, 5]*");
    }

    [Fact]
    public void Forward_NetworkGivenWrongWidth_ThrowsNamingBothShapes()
    {
        var act = () => Mlp().Forward(TestTensors.Random<double>(1, 2, 4), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("Sequential: expected input of shape [N, 3] but got [2, 4]*");
    }
}
