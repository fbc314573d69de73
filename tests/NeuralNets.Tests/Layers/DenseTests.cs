using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class DenseTests
{
    [Theory]
    [InlineData(1, 3, 2)]
    [InlineData(4, 5, 3)]
    [InlineData(7, 1, 6)]
    public void Backward_AnyShape_MatchesFiniteDifferences(int batch, int inputs, int outputs)
    {
        var layer = new Dense<double>(inputs, outputs, seed: 1);
        layer.Bias!.SetValue(TestTensors.Random<double>(2, outputs).ToArray());
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, inputs));
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Forward_KnownWeights_ComputesXWTransposePlusBias()
    {
        var layer = new Dense<double>(2, 2, seed: 0, WeightInit.Zeros);
        layer.Weight.SetValue([1, 2, 3, 4]); // [out, in]
        layer.Bias!.SetValue([0.5, -1]);
        var y = layer.Forward(TestTensors.Create(new double[] { 1, 1, 2, -1 }, 2, 2), training: false).ToArray();
        y.Should().Equal(1 + 2 + 0.5, 3 + 4 - 1, 2 - 2 + 0.5, 6 - 4 - 1);
    }

    [Fact]
    public void Forward_WrongInputWidth_NamesLayerAndBothShapes()
    {
        var layer = new Dense<float>(784, 128, seed: 0);
        var act = () => layer.Forward(TestTensors.Random<float>(0, 64, 100), training: false);
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("*Dense(784 → 128)*[N, 784]*[64, 100]*");
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesParameterGradients()
    {
        var layer = new Dense<double>(3, 2, seed: 5);
        var x = TestTensors.Random<double>(1, 4, 3);
        var g = TestTensors.Random<double>(2, 4, 2);
        layer.Forward(x, training: false);
        layer.Backward(g);
        var once = layer.Weight.GradientSpan.ToArray();
        layer.Forward(x, training: false);
        layer.Backward(g);
        layer.Weight.GradientSpan.ToArray().Should().Equal(once.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Abs(b));
    }

    [Fact]
    public void Forward_Float_AgreesWithDouble()
    {
        var d = new Dense<double>(5, 3, seed: 9);
        var f = new Dense<float>(5, 3, seed: 9);
        var x = TestTensors.Random<double>(4, 2, 5);
        var yd = d.Forward(x, training: false).ToArray();
        var yf = f.Forward(TestTensors.Create(x.ToArray().Select(v => (float)v).ToArray(), 2, 5), training: false).ToArray();
        yf.Select(v => (double)v).Should().Equal(yd, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void ToString_PrintsInputsAndOutputs() => new Dense<float>(784, 128, seed: 0).ToString().Should().Be("Dense(784 → 128)");
}
