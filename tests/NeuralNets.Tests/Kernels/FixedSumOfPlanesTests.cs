using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The fixed-order sum of planes lying apart (a convolution's bias gradient read straight from dY) is the fixed-order sum
/// of the same planes copied end to end, bit for bit: whole blocks across plane ends, every start lane, the tail.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class FixedSumOfPlanesTests
{
    [Theory]
    [InlineData(784, 3, 784 * 6)]    // LeNet's first layer: 28×28 planes of one channel among six, a chunk of three samples
    [InlineData(784, 22, 784 * 6)]
    [InlineData(8, 7, 13)]           // planes shorter than a block, each starting on another group of eight lanes
    [InlineData(24, 5, 24)]          // adjacent planes
    [InlineData(40, 4, 100)]         // a tail that ends inside the last plane
    [InlineData(16, 1, 16)]          // fewer than 32 elements: one after another
    [InlineData(676, 3, 676 * 2)]    // 26×26 planes start mid-group: the scalar lanes
    [InlineData(100, 5, 250)]
    public void SumOfPlanes_IsTheSumOfThePlanesEndToEnd_BitForBit(int planeLength, int planes, int planeStride)
    {
        var random = new Random(planeLength * 31 + planes);
        var source = new float[(planes - 1) * planeStride + planeLength];
        // Magnitudes far apart, so that any other order of additions rounds differently.
        for (int i = 0; i < source.Length; i++) source[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
        var endToEnd = new float[planes * planeLength];
        for (int n = 0; n < planes; n++) Array.Copy(source, n * planeStride, endToEnd, n * planeLength, planeLength);
        float expected = FixedSum.Sum<float>(endToEnd);

        foreach (int bits in NarrowedWidth.Widths)
        {
            using var width = KernelWidth.Limit(bits);
            FixedSum.SumOfPlanes(source, planeLength, planeStride, planes).Should().Be(expected, $"{bits}-bit kernels");
        }
        FixedSum.SumsPlanesWithVectors(planeLength).Should().Be(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && planeLength % 8 == 0);
    }

    [Fact]
    public void SumOfPlanes_ASourceShorterThanItsPlanes_Throws()
    {
        var act = () => FixedSum.SumOfPlanes(new float[20], 8, 10, 3);
        act.Should().Throw<ArgumentException>().WithMessage("*too short*");
    }
}
