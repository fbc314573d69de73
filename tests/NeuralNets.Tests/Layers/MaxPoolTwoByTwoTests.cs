using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class MaxPoolTwoByTwoTests
{
    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)]
    public void Forward_TwoByTwoStrideTwo_FirstMaximumWinsAndGradientGoesThere(int height, int width) => Check<double>(height, width);

    [Theory]
    [InlineData(4, 8)]
    [InlineData(5, 11)]
    [InlineData(6, 28)]   // fourteen windows a row: two groups of eight that overlap (where there are 256-bit vectors)
    [InlineData(4, 16)]   // eight windows a row: one group of eight
    [InlineData(3, 35)]   // seventeen windows, an odd last column and an odd last row
    public void Forward_FloatVectorisedRows_FirstMaximumWinsAndGradientGoesThere(int height, int width) => Check<float>(height, width);

    private static void Check<T>(int height, int width) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(12);
        int planes = 2 * 3;
        var values = new T[planes * height * width];
        // Few distinct values so that ties are common; a NaN in one window.
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.Next(3));
        values[width + 1] = T.NaN;
        values[2 * width + 2] = T.NaN;
        values[3 * width + 2] = T.NaN;
        var pool = new MaxPool2D<T>(2);
        var y = pool.Forward(TestTensors.Create(values, 2, 3, height, width), training: true).ToArray();
        int outH = height / 2, outW = width / 2;
        // The input gradient's buffer is reused: fill it with NaN; the pass must then write every input, the ones outside
        // any window (an odd last row or column) included.
        var reused = pool.Backward(TestTensors.Create(new T[planes * outH * outW], 2, 3, outH, outW));
        NeuralNets.Tensors.TensorMemory.Span(reused).Fill(T.NaN);
        var dy = Enumerable.Range(1, planes * outH * outW).Select(v => T.CreateChecked(v)).ToArray();
        dy[1] = -T.Zero;   // a negative zero comes out as the sum 0 + (−0) = +0, as the gradient's accumulation gives
        var dx = pool.Backward(TestTensors.Create(dy, 2, 3, outH, outW)).ToArray();

        var (expectedY, expectedDx) = MaxPoolReference.TwoByTwo(values, dy, planes, height, width);
        for (int k = 0; k < expectedY.Length; k++) y[k].Should().Be(expectedY[k], $"output {k}");
        dx.Should().Equal(expectedDx);
        dx.Select(v => T.IsNegative(v)).Should().AllBeEquivalentTo(false, "no input gradient here is negative, −0 included");
    }
}
