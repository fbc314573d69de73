using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A NaN anywhere reaches every output that depends on it, as in PyTorch: no layer may turn a NaN
/// into a number. Sizes hit the vector loops, their scalar tails and the split across cores.
/// </summary>
public class NaNPropagationTests
{
    // 37: one or more vectors and a scalar tail; 3 × 2,765 = 8,295: split across cores, ranges ending in tails.
    public static TheoryData<string, int> Elementwise => new()
    {
        { "Sigmoid", 37 }, { "Sigmoid", 2765 }, { "Tanh", 37 }, { "Tanh", 2765 }, { "ReLU", 37 }, { "ReLU", 2765 },
        { "LeakyReLU", 37 }, { "LeakyReLU", 2765 }, { "Flatten", 37 }, { "Flatten", 2765 },
        { "PReLU", 37 }, { "PReLU", 2765 }, { "PReLU per feature", 37 }, { "PReLU per feature", 2765 },
    };

    private const double Slope = 0.25;

    private static ILayer<T> Create<T>(string name, int features) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "PReLU" => new PReLU<T>(1, Slope),
        "PReLU per feature" => new PReLU<T>(features, Slope),
        "Sigmoid" => new Sigmoid<T>(),
        "Tanh" => new Tanh<T>(),
        "ReLU" => new ReLU<T>(),
        "LeakyReLU" => new LeakyReLU<T>(Slope),
        _ => new Flatten<T>(),
    };

    /// <summary>Seeded values in [−1, 1) with a NaN at every 97th element from the 5th, and at the last (a tail).</summary>
    private static T[] WithNaNs<T>(int seed, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = TestTensors.Random<T>(seed, length).ToArray();
        for (int i = 5; i < length; i += 97) values[i] = T.NaN;
        values[^1] = T.NaN;
        return values;
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void ElementwiseForwardBackward_FloatNaNInputs_PropagateAsPyTorch(string name, int features) => CheckElementwise<float>(name, features);

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void ElementwiseForwardBackward_DoubleNaNInputs_PropagateAsPyTorch(string name, int features) => CheckElementwise<double>(name, features);

    private static void CheckElementwise<T>(string name, int features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = features < 100 ? 1 : 3;
        var x = WithNaNs<T>(features, batch * features);
        var dy = TestTensors.Random<T>(features + 1, batch * features).ToArray();
        var layer = Create<T>(name, features);
        var y = layer.Forward(TestTensors.Create(x, batch, features), training: true).ToArray();
        var dx = layer.Backward(TestTensors.Create(dy, batch, features)).ToArray();
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < x.Length; i++)
        {
            T.IsNaN(y[i]).Should().Be(T.IsNaN(x[i]), $"{name} forward at {i} of {x.Length} (x = {x[i]})");
            // PyTorch: relu backward is threshold_backward(dy, y, 0) = y ≤ 0 ? 0 : dy, so dy passes at a NaN;
            // leaky_relu and prelu backward are x > 0 ? dy : slope·dy; sigmoid and tanh backward use y, so give NaN.
            T expected = name switch
            {
                "ReLU" => y[i] <= T.Zero ? T.Zero : dy[i],
                "LeakyReLU" or "PReLU" or "PReLU per feature" => x[i] > T.Zero ? dy[i] : slope * dy[i],
                "Flatten" => dy[i],
                _ => T.IsNaN(x[i]) ? T.NaN : dx[i],
            };
            if (T.IsNaN(expected)) T.IsNaN(dx[i]).Should().BeTrue($"{name} backward at {i}");
            else dx[i].Should().Be(expected, $"{name} backward at {i} (x = {x[i]})");
        }
        // PyTorch's slope gradient sums x·dy where x is not positive, a NaN x among them: every slope that sees one is NaN.
        if (layer is PReLU<T> prelu)
            for (int c = 0; c < prelu.SlopeCount; c++)
            {
                bool seesNaN = Enumerable.Range(0, x.Length).Any(i => (prelu.SlopeCount == 1 || i % features == c) && T.IsNaN(x[i]));
                T.IsNaN(prelu.Weight.GradientSpan[c]).Should().Be(seesNaN, $"{name}'s slope {c} gradient");
            }
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(40, 300)]
    public void SoftmaxForwardBackward_NaNInARow_MakesExactlyThatRowNaN(int batch, int features)
    {
        var x = TestTensors.Random<float>(batch, batch, features).ToArray();
        x[features - 1] = float.NaN;                              // row 0, in the scalar tail
        if (batch > 1) x[(batch - 1) * features + 3] = float.NaN; // last row, in the vector part
        var layer = new Softmax<float>();
        var y = layer.Forward(TestTensors.Create(x, batch, features), training: true).ToArray();
        var dx = layer.Backward(TestTensors.Random<float>(3, batch, features)).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            int row = i / features;
            bool nanRow = row == 0 || row == batch - 1;
            float.IsNaN(y[i]).Should().Be(nanRow, $"forward, row {row}");
            float.IsNaN(dx[i]).Should().Be(nanRow, $"backward, row {row}");
        }
    }

    [Theory]
    [InlineData(2, 0, 1, 4)]   // 2×2 stride 2: the float path four windows at a time
    [InlineData(3, 1, 2, 4)]   // 3×3 stride 2 padded: the general loop
    [InlineData(2, 0, 6, 20)]  // 6 × 3 × 40 × 40 = 28,800 elements: split across cores
    public void MaxPoolForward_FloatNaNInWindow_GivesNaNAndTakesTheGradient(int kernel, int padding, int batch, int size) =>
        CheckPool<float>(new MaxPool2D<float>(kernel, stride: 2, padding: padding), kernel, padding, batch, size * 2, max: true);

    [Theory]
    [InlineData(2, 0, 1, 4)]
    [InlineData(3, 1, 6, 20)]
    public void MaxPoolForward_DoubleNaNInWindow_GivesNaNAndTakesTheGradient(int kernel, int padding, int batch, int size) =>
        CheckPool<double>(new MaxPool2D<double>(kernel, stride: 2, padding: padding), kernel, padding, batch, size * 2, max: true);

    [Theory]
    [InlineData(2, 0, 1, 4)]
    [InlineData(3, 1, 6, 20)]
    public void AvgPoolForward_FloatNaNInWindow_GivesNaN(int kernel, int padding, int batch, int size) =>
        CheckPool<float>(new AvgPool2D<float>(kernel, stride: 2, padding: padding), kernel, padding, batch, size * 2, max: false);

    [Theory]
    [InlineData(2, 0, 1, 4)]
    [InlineData(3, 1, 6, 20)]
    public void AvgPoolForward_DoubleNaNInWindow_GivesNaN(int kernel, int padding, int batch, int size) =>
        CheckPool<double>(new AvgPool2D<double>(kernel, stride: 2, padding: padding), kernel, padding, batch, size * 2, max: false);

    private static void CheckPool<T>(ILayer<T> layer, int kernel, int padding, int batch, int size, bool max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int channels = 3;
        var x = WithNaNs<T>(size, batch * channels * size * size);
        var y = layer.Forward(TestTensors.Create(x, batch, channels, size, size), training: true);
        var ys = y.ToArray();
        int outSize = (int)y.Lengths[3];
        var dy = Enumerable.Repeat(T.One, ys.Length).ToArray();
        var dx = layer.Backward(TestTensors.Create(dy, batch, channels, outSize, outSize)).ToArray();
        int nanOutputs = 0;
        for (int k = 0; k < ys.Length; k++)
        {
            int plane = k / (outSize * outSize), r = k / outSize % outSize, q = k % outSize;
            bool nan = false;
            for (int i = r * 2 - padding; i < r * 2 - padding + kernel; i++)
                for (int j = q * 2 - padding; j < q * 2 - padding + kernel; j++)
                    if (i >= 0 && j >= 0 && i < size && j < size && T.IsNaN(x[(plane * size + i) * size + j])) nan = true;
            T.IsNaN(ys[k]).Should().Be(nan, $"output {k}");
            if (nan) nanOutputs++;
        }
        // Max pooling routes each window's gradient (1 here) to its winner, a NaN wherever the window holds one;
        // average pooling's gradient does not depend on x, so it stays finite.
        T toNaNs = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            T.IsNaN(dx[i]).Should().BeFalse($"dx at {i}");
            if (T.IsNaN(x[i])) toNaNs += dx[i];
        }
        if (max) toNaNs.Should().Be(T.CreateChecked(nanOutputs), "every window with a NaN sends its gradient to a NaN");
    }

    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(784, 128, 64)]
    public void DenseForward_FloatNaNInputOrWeight_GivesNaNInItsRowAndColumn(int inputs, int outputs, int batch) =>
        CheckDense<float>(inputs, outputs, batch);

    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(784, 128, 64)]
    public void DenseForward_DoubleNaNInputOrWeight_GivesNaNInItsRowAndColumn(int inputs, int outputs, int batch) =>
        CheckDense<double>(inputs, outputs, batch);

    private static void CheckDense<T>(int inputs, int outputs, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = new Dense<T>(inputs, outputs, seed: 1);
        var x = TestTensors.Random<T>(2, batch, inputs).ToArray();
        x[inputs + 1] = T.NaN;                                     // sample 1
        for (int n = 0; n < batch; n++) x[n * inputs] = T.Zero;    // 0 · NaN is NaN: no zero may be skipped
        layer.Weight.ValueSpan[(outputs - 1) * inputs] = T.NaN;    // output outputs − 1, input 0
        var y = layer.Forward(TestTensors.Create(x, batch, inputs), training: false).ToArray();
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outputs; o++)
                T.IsNaN(y[n * outputs + o]).Should().Be(n == 1 || o == outputs - 1, $"sample {n}, output {o}");
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(4, 32)]   // 4 × 3 × 32 × 32 = 12,288 elements
    public void Conv2DForward_FloatNaNPixel_GivesNaNWhereTheKernelCoversIt(int batch, int size) => CheckConv<float>(batch, size);

    [Theory]
    [InlineData(1, 12)]
    [InlineData(4, 32)]
    public void Conv2DForward_DoubleNaNPixel_GivesNaNWhereTheKernelCoversIt(int batch, int size) => CheckConv<double>(batch, size);

    private static void CheckConv<T>(int batch, int size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int channels = 3, filters = 4;
        var layer = new Conv2D<T>(channels, filters, (3, 3), new Random(3), padding: (1, 1));
        var x = TestTensors.Random<T>(4, batch, channels, size, size).ToArray();
        int n0 = batch - 1, c0 = 1, r0 = 5, q0 = size - 1;
        x[((n0 * channels + c0) * size + r0) * size + q0] = T.NaN;
        var y = layer.Forward(TestTensors.Create(x, batch, channels, size, size), training: false).ToArray();
        for (int k = 0; k < y.Length; k++)
        {
            int n = k / (filters * size * size), r = k / size % size, q = k % size;
            bool covers = n == n0 && Math.Abs(r - r0) <= 1 && Math.Abs(q - q0) <= 1;
            T.IsNaN(y[k]).Should().Be(covers, $"output {k} (sample {n}, row {r}, column {q})");
        }
    }

    [Fact]
    public void Predict_MlpWithReLUNaNInput_ReturnsNaNLogits()
    {
        var network = Network.Sequential<float>(20).Dense(16).ReLU().Dense(4).Build(seed: 7);
        var sample = TestTensors.Random<float>(8, 20).ToArray();
        sample[3] = float.NaN;
        network.Predict(sample).Should().OnlyContain(v => float.IsNaN(v));
    }

    [Fact]
    public void Predict_MlpWithReLUNaNWeight_ReturnsNaNLogits()
    {
        // Before the fix ReLU turned the NaN unit into 0 and the logits stayed finite.
        var network = Network.Sequential<double>(20).Dense(16).ReLU().Dense(4).Build(seed: 7);
        network.Parameters[0].ValueSpan[0] = double.NaN;
        network.Predict(TestTensors.Random<double>(8, 20).ToArray()).Should().OnlyContain(v => double.IsNaN(v));
    }
}
