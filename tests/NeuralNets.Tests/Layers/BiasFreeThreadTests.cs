using NeuralNets.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>Dense, Conv2D and ConvTranspose2D without a bias give the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class BiasFreeThreadTests
{
    /// <summary>A fresh layer's output, input gradient and first parameter's gradient with at most <paramref name="maxThreads"/> threads.</summary>
    internal static float[][] Run(int maxThreads, Func<ILayer<float>> create, int[] inputShape)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            var layer = create();
            var y = layer.Forward(TestTensors.Random<float>(2, inputShape), training: true);
            var dx = layer.Backward(TestTensors.Random<float>(3, y.Shape())).ToArray();
            return [y.ToArray(), dx, layer.Parameters[0].GradientSpan.ToArray()];
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void ForwardBackward_OneThreadOrAll_BitIdentical()
    {
        // Each large enough that its products and chunks split across threads.
        var cases = new (Func<ILayer<float>> Create, int[] Shape)[]
        {
            (() => new Dense<float>(256, 192, seed: 1, bias: false), [64, 256]),
            (() => new Conv2D<float>(16, 32, kernel: 3, seed: 1, padding: 1, bias: false), [8, 16, 16, 16]),
            (() => new Conv2D<float>(16, 32, kernel: 3, seed: 1, padding: 1, bias: false), [1, 16, 24, 24]),
            (() => new ConvTranspose2D<float>(32, 16, kernel: 4, seed: 1, stride: 2, padding: 1, bias: false), [3, 32, 7, 7]),
        };
        foreach (var (create, shape) in cases)
        {
            var one = Run(1, create, shape);
            var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads), create, shape);
            for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i], $"{create()} on [{string.Join(", ", shape)}], part {i}");
        }
    }
}
