using NeuralNets.Layers;
using NeuralNets.Tests.Kernels;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// PReLU gives the same bits at every vector width (512, 256, 128 bits and scalar): its selections are exact per element,
/// its slopes' gradient a scalar sum in a fixed order.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class PReLUWidthTests
{
    [Theory]
    [InlineData(1, new[] { 3, 37 })]
    [InlineData(37, new[] { 3, 37 })]       // rows: a slope per value, with every width's loop and a tail
    [InlineData(3, new[] { 2, 3, 5, 7 })]
    public void ForwardBackward_EveryWidth_BitIdentical(int slopes, int[] shape)
    {
        var results = NarrowedWidth.AtEveryWidth(() =>
        {
            var layer = new PReLU<float>(slopes);
            for (int c = 0; c < slopes; c++) layer.Weight.ValueSpan[c] = 0.03f * c - 0.4f;
            var y = layer.Forward(TestTensors.Random<float>(7, shape), training: true).ToArray();
            var dx = layer.Backward(TestTensors.Random<float>(8, shape)).ToArray();
            return (y, dx, da: layer.Weight.GradientSpan.ToArray());
        });
        foreach (var (bits, (y, dx, da)) in results.Skip(1))
        {
            y.Should().Equal(results[0].Result.y, $"the output at {bits} bits");
            dx.Should().Equal(results[0].Result.dx, $"the input gradient at {bits} bits");
            da.Should().Equal(results[0].Result.da, $"the slopes' gradient at {bits} bits");
        }
    }
}
