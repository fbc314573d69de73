using NeuralNets.Tests.Kernels;

namespace NeuralNets.Tests.Layers;

/// <summary>LayerNorm gives the same bits at every vector width (512, 256, 128 bits and scalar): its sums go in PlaneSums' fixed order.</summary>
[Collection(NarrowedWidth.Name)]
public class LayerNormWidthTests
{
    [Theory]
    [InlineData(new[] { 37 }, new[] { 3, 37 })]
    [InlineData(new[] { 3, 3 }, new[] { 5, 3, 3 })]
    [InlineData(new[] { 2, 5, 7 }, new[] { 2, 2, 5, 7 })]
    public void ForwardBackward_EveryWidth_BitIdentical(int[] normalizedShape, int[] shape)
    {
        var results = NarrowedWidth.AtEveryWidth(() => LayerNormThreadTests.Run(normalizedShape, shape));
        foreach (var (bits, result) in results.Skip(1))
            for (int i = 0; i < result.Length; i++) result[i].Should().Equal(results[0].Result[i], $"result {i} at {bits} bits");
    }
}
