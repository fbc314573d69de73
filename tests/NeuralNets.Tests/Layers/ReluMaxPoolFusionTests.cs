using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A Sequential runs a ReLU followed by a MaxPool2D as one pass (the pool rectifies the maxima of the ReLU's input): its
/// output, input gradient and parameter gradients are the same bits as the two layers run one after the other, on values
/// with ties, zeros of both signs, negative windows and NaN, for the vectorised 2×2 windows and the general ones.
/// </summary>
public class ReluMaxPoolFusionTests
{
    public static TheoryData<int, int, int, int> Windows() => new()
    {
        { 2, 2, 0, 8 },   // the 2×2 stride-2 path (vectorised for float)
        { 2, 2, 0, 7 },   // an odd width: a last column in no window
        { 2, 2, 0, 20 },  // ten windows a row: eight at a time (where there are 256-bit vectors), overlapping
        { 3, 2, 1, 9 },   // overlapping windows with padding: gradients add up at shared winners
        { 3, 1, 0, 6 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Float_FusedPairGivesTheLayersOwnBits(int kernel, int stride, int padding, int size) => Check<float>(kernel, stride, padding, size);

    [Theory]
    [MemberData(nameof(Windows))]
    public void Double_FusedPairGivesTheLayersOwnBits(int kernel, int stride, int padding, int size) => Check<double>(kernel, stride, padding, size);

    [Fact]
    public void BackwardToParameters_PairAtTheStart_SameGradientsAsBackward()
    {
        var network = new Sequential<float>(new ReLU<float>(), new MaxPool2D<float>(2), new Flatten<float>(), new Dense<float>(3 * 4 * 4, 5, seed: 3));
        var x = Inputs<float>(2, 3, 8, seed: 5);
        SequentialBackwardToParametersTests.SameGradientsAsBackward(network, x, TestTensors.Random<float>(6, 2, 5));
    }

    private static void Check<T>(int kernel, int stride, int padding, int size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outSize = (size + 2 * padding - kernel) / stride + 1;
        FusedPairCheck.PairFirstAndAfterConvolution(() => [new ReLU<T>(), new MaxPool2D<T>(kernel, stride, padding)],
            Inputs<T>(batch: 2, channels: 3, size, seed: 11), outSize);
    }

    // Small whole numbers (ties everywhere, windows of negatives only, zeros), some −0, and a NaN in one window.
    private static Tensor<T> Inputs<T>(int batch, int channels, int size, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[batch * channels * size * size];
        for (int i = 0; i < values.Length; i++)
        {
            int draw = random.Next(6);
            values[i] = draw == 5 ? -T.Zero : T.CreateChecked(draw - 3);
        }
        values[size + 1] = T.NaN;
        return TestTensors.Create(values, batch, channels, size, size);
    }
}
