using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>LayerNorm's passes and its γ's and β's gradients give the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class LayerNormThreadTests
{
    internal static float[][] Run(int[] normalizedShape, int[] shape)
    {
        var layer = new LayerNorm<float>(normalizedShape);
        var gamma = TestTensors.Random<float>(5, normalizedShape).ToArray();
        for (int i = 0; i < gamma.Length; i++) (layer.Weight!.ValueSpan[i], layer.Bias!.ValueSpan[i]) = (1 + gamma[i], 0.1f * gamma[i]);
        var y = layer.Forward(TestTensors.Random<float>(2, shape), training: true);
        var dx = layer.Backward(TestTensors.Random<float>(3, y.Shape())).ToArray();
        var inference = layer.Forward(TestTensors.Random<float>(4, shape), training: false).ToArray();
        return [y.ToArray(), dx, inference, layer.Weight!.GradientSpan.ToArray(), layer.Bias!.GradientSpan.ToArray()];
    }

    private static float[][] RunOn(int maxThreads, int[] normalizedShape, int[] shape)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            return Run(normalizedShape, shape);
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    public static TheoryData<int[], int[]> Shapes => new()
    {
        // Long enough that the passes split across the team, by samples and by positions.
        { [16, 16, 16], [64, 16, 16, 16] }, { [300], [512, 300] }, { [3], [4096, 3] }, { [100003], [3, 100003] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardBackward_OneThreadOrAll_BitIdentical(int[] normalizedShape, int[] shape)
    {
        var one = RunOn(1, normalizedShape, shape);
        var all = RunOn(Math.Max(2, Parallelism.DefaultMaxThreads), normalizedShape, shape);
        for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i]);
    }
}
