using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class FlattenTests
{
    [Fact]
    public void Forward_ImageBatch_KeepsRowMajorOrderPerSample()
    {
        var values = Enumerable.Range(0, 24).Select(v => (double)v).ToArray();
        var y = new Flatten<double>().Forward(TestTensors.Create(values, 2, 3, 2, 2), training: false);
        y.Lengths.ToArray().Should().Equal(2, 12);
        y.ToArray().Should().Equal(values);
    }

    [Fact]
    public void Backward_FlatGradient_ReturnsInputShape()
    {
        var layer = new Flatten<double>();
        layer.Forward(TestTensors.Random<double>(0, 2, 3, 2, 2), training: false);
        var g = TestTensors.Random<double>(1, 2, 12);
        var dx = layer.Backward(g);
        dx.Lengths.ToArray().Should().Equal(2, 3, 2, 2);
        dx.ToArray().Should().Equal(g.ToArray());
    }

    [Fact]
    public void Backward_Any_MatchesFiniteDifferences()
    {
        var result = GradientCheck.Layer(new Flatten<double>(), TestTensors.Random<double>(2, 3, 2, 3, 4));
        // 1e-7, GradientCheck's usual bound for ε = 1e-6: what is left is the finite differences' rounding,
        // which depends on the CPU's vector width (1.6e-8 measured without AVX-512).
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Fact]
    public void Backward_WrongShape_NamesLayerAndShapes()
    {
        var layer = new Flatten<double>();
        layer.Forward(TestTensors.Random<double>(0, 2, 3, 2, 2), training: false);
        var act = () => layer.Backward(TestTensors.Random<double>(1, 2, 11));
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Flatten()*[2, 12]*[2, 11]*");
    }

    [Fact]
    public void OutputShape_Image_IsProductOfLengths() =>
        new Flatten<float>().OutputShape([16, 5, 5]).Should().Equal(400);
}
