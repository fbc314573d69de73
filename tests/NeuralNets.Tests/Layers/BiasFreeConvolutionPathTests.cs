using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Conv2D without a bias against the same Conv2D with a bias of zeros, bit for bit, on every forced path (direct or
/// unfolded forward, direct or column input gradient, split backward or not, chunked products), few and many channels,
/// stride 1 and 2, with and without padding, in float and in double.
/// </summary>
public class BiasFreeConvolutionPathTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 3, 8, 1, 1 }, { 3, 8, 2, 0 }, { 32, 64, 1, 1 }, { 32, 64, 2, 0 }, { 16, 24, 1, 0 }, { 16, 24, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Conv2D_EveryForcedPathWithoutBias_SameBitsAsABiasOfZeros(int inChannels, int outChannels, int stride, int padding)
    {
        AssertEveryPath<float>(inChannels, outChannels, stride, padding);
        AssertEveryPath<double>(inChannels, outChannels, stride, padding);
    }

    private static void AssertEveryPath<T>(int inChannels, int outChannels, int stride, int padding) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestTensors.Random<T>(3, 4, inChannels, 11, 11);
        var g = TestTensors.Random<T>(5, [4, .. new Conv2D<T>(inChannels, outChannels, kernel: 3, seed: 2, stride: stride, padding: padding).OutputShape([inChannels, 11, 11])]);
        foreach (bool direct in new[] { true, false })
            foreach (bool directInputGradient in new[] { true, false })
                foreach (bool split in new[] { true, false })
                    foreach (int chunk in new[] { 1 << 16, 64 })  // the default, and one sample per chunk
                    {
                        Conv2D<T> Layer(bool bias) => new(inChannels, outChannels, kernel: 3, seed: 2, stride: stride, padding: padding, bias: bias)
                        {
                            ForcedChoice = direct, ForcedInputGradientChoice = directInputGradient, AllowSplitBackward = split, ChunkElements = chunk,
                        };
                        string path = $"{typeof(T).Name}, direct {direct}, direct dx {directInputGradient}, split {split}, chunk {chunk}";
                        var (free, zero) = (Layer(bias: false), Layer(bias: true));
                        free.Forward(x, training: true).ToArray().Should().Equal(zero.Forward(x, training: true).ToArray(), path);
                        free.Backward(g).ToArray().Should().Equal(zero.Backward(g).ToArray(), path);
                        free.Weight.GradientSpan.ToArray().Should().Equal(zero.Weight.GradientSpan.ToArray(), path);
                    }
    }
}
