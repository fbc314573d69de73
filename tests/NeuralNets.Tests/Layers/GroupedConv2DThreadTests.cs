using NeuralNets.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>Grouped and depthwise Conv2D and a grouped ConvTranspose2D: the same bits on one helper thread as on all, and nothing allocated after the first step.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count and counts every thread's allocations: no other test runs meanwhile
public class GroupedConv2DThreadTests
{
    private static ILayer<float>[] Layers() =>
    [
        new Conv2D<float>(16, 16, kernel: 3, seed: 1, padding: 1, groups: 16),          // depthwise
        new Conv2D<float>(16, 32, kernel: 3, seed: 1, stride: 2, padding: 1, groups: 16), // depthwise, multiplier 2
        new Conv2D<float>(16, 32, kernel: 3, seed: 1, padding: 1, bias: false, groups: 2),
        new ConvTranspose2D<float>(16, 8, kernel: 4, seed: 1, stride: 2, padding: 1, groups: 4),
    ];

    private static float[][] Run(int maxThreads, int index) => BiasFreeThreadTests.Run(maxThreads, () => Layers()[index], [8, 16, 16, 16]);

    [Fact]
    public void ForwardBackward_OneThreadOrAll_BitIdentical()
    {
        for (int index = 0; index < Layers().Length; index++)
        {
            var one = Run(1, index);
            var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads), index);
            for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i], $"{Layers()[index]}, part {i}");
        }
    }

    [Fact]
    public void ForwardBackward_AfterTheFirstSteps_AllocatesNothing()
    {
        // The convolutions only: an ungrouped ConvTranspose2D already allocates 40 bytes a step (on main as found), so its grouped one does too.
        foreach (var layer in Layers().OfType<Conv2D<float>>())
        {
            var x = TestTensors.Random<float>(2, 8, 16, 16, 16);
            var dy = TestTensors.Random<float>(3, layer.Forward(x, training: true).Shape());
            void Step()
            {
                for (int p = 0; p < layer.Parameters.Count; p++) layer.Parameters[p].ZeroGradient(); // no enumerator to allocate
                layer.Forward(x, training: true);
                layer.Backward(dy);
            }
            for (int i = 0; i < 3; i++) Step(); // the first steps size the buffers and time the paths
            ProcessWideMeasurement.AllocatedBy(Step).Should().Be(0, layer.ToString());
        }
    }
}
