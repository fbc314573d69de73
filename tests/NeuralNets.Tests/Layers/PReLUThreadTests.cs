using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>PReLU's passes and its slopes' gradient give the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class PReLUThreadTests
{
    private static float[][] Run(int maxThreads, int slopes, int[] shape)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            var layer = new PReLU<float>(slopes);
            for (int c = 0; c < slopes; c++) layer.Weight.ValueSpan[c] = 0.05f * (c + 1);
            var y = layer.Forward(TestTensors.Random<float>(2, shape), training: true);
            var dx = layer.Backward(TestTensors.Random<float>(3, y.Shape())).ToArray();
            var inference = layer.Forward(TestTensors.Random<float>(4, shape), training: false).ToArray();
            return [y.ToArray(), dx, inference, layer.Weight.GradientSpan.ToArray()];
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Theory]
    // Long enough that the passes split across the team and the slopes' gradient has many blocks.
    [InlineData(1, new[] { 64, 16, 16, 16 })]
    [InlineData(16, new[] { 64, 16, 16, 16 })]
    [InlineData(300, new[] { 512, 300 })]
    [InlineData(1, new[] { 3, 100003 })]
    public void ForwardBackward_OneThreadOrAll_BitIdentical(int slopes, int[] shape)
    {
        var one = Run(1, slopes, shape);
        var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads), slopes, shape);
        for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i]);
    }
}
