using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>The transposed convolution gives the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class ConvTranspose2DThreadTests
{
    private static double[][] Run(int maxThreads)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            // Products of 256×196×32 multiply-adds: above the threshold at which they split across threads.
            var layer = new ConvTranspose2D<double>(32, 16, kernel: 4, seed: 1, stride: 2, padding: 1);
            var x = TestTensors.Random<double>(2, 3, 32, 7, 7);
            var y = layer.Forward(x, training: true).ToArray();
            var dx = layer.Backward(TestTensors.Random<double>(3, 3, 16, 14, 14)).ToArray();
            return [y, dx, layer.Weight.GradientSpan.ToArray(), layer.Bias!.GradientSpan.ToArray()];
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void ForwardBackward_OneThreadOrAll_BitIdentical()
    {
        var one = Run(1);
        var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads));
        for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i]);
    }
}
