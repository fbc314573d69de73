using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Layers;
using NeuralNets.Testing;

namespace Coursework.Tests;

public class LayerTests
{
    private static Tensor<double> Batch(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 4 - 2;
        return Tensor.Create(values, [rows, columns]);
    }

    private static double[] Values(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    [Fact]
    public void DenseLayer_Always_SatisfiesTheLayerContract()
    {
        new DenseLayer(4, 3, seed: 1).Should().SatisfyLayerContract([4]);
    }

    [Fact]
    public void DenseLayerForward_SameWeights_EqualsTheLibrarysDense()
    {
        var layer = new DenseLayer(4, 3, seed: 2);
        var reference = new Dense<double>(4, 3, seed: 0);
        reference.Weight.SetValue(layer.Weight.ValueSpan);
        reference.Bias!.SetValue([0.1, -0.2, 0.3]);
        layer.Bias.SetValue([0.1, -0.2, 0.3]);
        var x = Batch(3, rows: 5, columns: 4);

        Values(layer.Forward(x, training: false)).Should().Equal(Values(reference.Forward(x, training: false)), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void SigmoidLayer_Always_SatisfiesTheLayerContract()
    {
        new SigmoidLayer().Should().SatisfyLayerContract([5]);
    }

    [Fact]
    public void SigmoidLayerForward_AnyInput_EqualsTheLibrarysSigmoid()
    {
        var x = Batch(4, rows: 3, columns: 5);

        Values(new SigmoidLayer().Forward(x, training: false)).Should().Equal(Values(new Sigmoid<double>().Forward(x, training: false)), (a, b) => Math.Abs(a - b) < 1e-12);
    }
}
