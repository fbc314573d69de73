using NeuralNets.Layers;
using NeuralNets.Tests.Kernels;

namespace NeuralNets.Tests.Layers;

/// <summary>The direct depthwise path gives the same bits at every vector width (and scalar), stride 1 and 2, with and without padding.</summary>
[Collection(NarrowedWidth.Name)]
public class DepthwiseConv2DWidthTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 2, 2)]
    public void ForwardBackward_EveryWidth_SameBits(int stride, int padding, int multiplier)
    {
        (float[], float[], float[], float[]) Run()
        {
            var layer = new Conv2D<float>(6, 6 * multiplier, 3, seed: 1, stride: stride, padding: padding, groups: 6);
            layer.Bias!.SetValue(TestTensors.Random<float>(4, 6 * multiplier).ToArray());
            var y = layer.Forward(TestTensors.Random<float>(2, 3, 6, 19, 21), training: true);
            var dx = layer.Backward(TestTensors.Random<float>(3, y.Lengths.ToArray().Select(l => (int)l).ToArray()));
            return (y.ToArray(), dx.ToArray(), layer.Weight.GradientSpan.ToArray(), layer.Bias.GradientSpan.ToArray());
        }
        var results = NarrowedWidth.AtEveryWidth(Run);
        foreach (var (bits, (y, dx, dw, db)) in results.Skip(1))
        {
            y.Should().Equal(results[0].Result.Item1, $"output at {bits} bits");
            dx.Should().Equal(results[0].Result.Item2, $"input gradient at {bits} bits");
            dw.Should().Equal(results[0].Result.Item3, $"weight gradient at {bits} bits");
            db.Should().Equal(results[0].Result.Item4, $"bias gradient at {bits} bits");
        }
    }
}
