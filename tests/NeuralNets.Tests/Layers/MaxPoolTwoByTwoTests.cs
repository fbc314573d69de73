namespace NeuralNets.Tests.Layers;

public class MaxPoolTwoByTwoTests
{
    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)]
    public void Forward_TwoByTwoStrideTwo_FirstMaximumWinsAndGradientGoesThere(int height, int width)
    {
        var random = new Random(12);
        int planes = 2 * 3;
        var values = new double[planes * height * width];
        // Few distinct values so that ties are common; a NaN in one window.
        for (int i = 0; i < values.Length; i++) values[i] = random.Next(3);
        values[width + 1] = double.NaN;
        var pool = new MaxPool2D<double>(2);
        var y = pool.Forward(TestTensors.Create(values, 2, 3, height, width), training: true).ToArray();
        int outH = height / 2, outW = width / 2;
        var dy = Enumerable.Range(1, planes * outH * outW).Select(v => (double)v).ToArray();
        var dx = pool.Backward(TestTensors.Create(dy, 2, 3, outH, outW)).ToArray();

        var expectedDx = new double[values.Length];
        for (int p = 0; p < planes; p++)
            for (int r = 0; r < outH; r++)
                for (int q = 0; q < outW; q++)
                {
                    int winner = -1;
                    foreach (int index in new[] { 0, 1, width, width + 1 }.Select(o => p * height * width + 2 * r * width + 2 * q + o))
                        if (winner < 0 || values[index] > values[winner] || (double.IsNaN(values[index]) && !double.IsNaN(values[winner])))
                            winner = index;
                    int k = (p * outH + r) * outW + q;
                    y[k].Should().Be(values[winner], $"output {k}");
                    expectedDx[winner] += dy[k];
                }
        dx.Should().Equal(expectedDx);
    }
}
