using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class Conv2DTests
{
    // batch, cin, cout, h, w, kh, kw, sh, sw, ph, pw
    public static TheoryData<int, int, int, int, int, int, int, int, int, int, int> Configurations => new()
    {
        { 2, 1, 2, 5, 5, 3, 3, 1, 1, 0, 0 },   // square, valid
        { 1, 2, 3, 6, 4, 3, 2, 1, 1, 1, 0 },   // rectangular image and kernel, padding on one axis
        { 2, 3, 2, 7, 8, 3, 3, 2, 2, 1, 1 },   // stride 2 does not divide the padded width
        { 1, 2, 2, 5, 9, 2, 4, 2, 3, 0, 2 },   // rectangular stride and padding
        { 3, 1, 4, 4, 4, 1, 1, 1, 1, 0, 0 },   // 1×1 convolution
        { 1, 2, 1, 3, 3, 3, 3, 1, 1, 2, 2 },   // padding as large as the kernel
        { 2, 2, 2, 6, 6, 5, 5, 1, 1, 2, 2 },   // LeNet's 5×5 'same' convolution
        { 1, 1, 2, 4, 6, 4, 6, 1, 1, 0, 0 },   // kernel as large as the image: 1×1 output
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Backward_AnyGeometry_MatchesFiniteDifferences(int batch, int cin, int cout, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var layer = new Conv2D<double>(cin, cout, (kh, kw), new Random(1), (sh, sw), (ph, pw));
        layer.Bias!.SetValue(TestTensors.Random<double>(2, cout).ToArray());
        // The output is bilinear in (x, w), so central differences are exact but for rounding: a large ε keeps that small.
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, cin, h, w), seed: 4, epsilon: 1e-3);
        // 1e-8: the rounding left depends on the summation order, which depends on the CPU's vector width
        // (1.1e-9 measured without AVX2); a wrong gradient is off by far more.
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_AnyGeometry_MatchesDirectSum(int batch, int cin, int cout, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var layer = new Conv2D<double>(cin, cout, (kh, kw), new Random(5), (sh, sw), (ph, pw));
        layer.Bias!.SetValue(TestTensors.Random<double>(6, cout).ToArray());
        var x = TestTensors.Random<double>(7, batch, cin, h, w);
        var expected = DirectConvolution(x.ToArray(), batch, cin, h, w, layer.Weight.ValueSpan.ToArray(), layer.Bias!.ValueSpan.ToArray(),
            cout, kh, kw, sh, sw, ph, pw, out int outH, out int outW);
        var y = layer.Forward(x, training: false);
        y.Lengths.ToArray().Should().Equal(batch, cout, outH, outW);
        y.ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void ForwardBackward_BatchCutIntoChunks_MatchesOneChunk()
    {
        // 5 samples whose X̂ has 18·16 elements each: a chunk of 600 elements holds 2 samples, so 3 chunks.
        var whole = new Conv2D<double>(2, 3, kernel: 3, seed: 1, padding: 1);
        var chunked = new Conv2D<double>(2, 3, kernel: 3, seed: 1, padding: 1) { ChunkElements = 600 };
        var x = TestTensors.Random<double>(2, 5, 2, 4, 4);
        var g = TestTensors.Random<double>(3, 5, 3, 4, 4);
        chunked.Forward(x, training: false).ToArray().Should().Equal(whole.Forward(x, training: false).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-14);
        chunked.Backward(g).ToArray().Should().Equal(whole.Backward(g).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-14);
        chunked.Weight.GradientSpan.ToArray().Should().Equal(whole.Weight.GradientSpan.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-13);
        chunked.Bias!.GradientSpan.ToArray().Should().Equal(whole.Bias!.GradientSpan.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-13);
        var result = GradientCheck.Layer(chunked, x, epsilon: 1e-3);
        result.MaxRelativeError.Should().BeLessThan(1e-9, result.ToString());
    }

    [Fact]
    public void ForwardBackward_ChunksOnOneTwoOrThreeParts_BitIdentical()
    {
        // 7 samples in chunks of 2: 4 chunks, shared out among 1, 2 and 3 parts (threads when the machine has them).
        (float[] Y, float[] Dx, float[] DW, float[] Db) Run(int parts)
        {
            var layer = new Conv2D<float>(2, 3, kernel: 3, seed: 1, padding: 1) { ChunkElements = 600, MaxParts = parts };
            var x = TestTensors.Random<float>(2, 7, 2, 4, 4);
            var g = TestTensors.Random<float>(3, 7, 3, 4, 4);
            var y = layer.Forward(x, training: true).ToArray();
            var dx = layer.Backward(g).ToArray();
            layer.Backward(g); // a second backward adds to the gradients, again in chunk order
            return (y, dx, layer.Weight.GradientSpan.ToArray(), layer.Bias!.GradientSpan.ToArray());
        }
        var one = Run(1);
        foreach (int parts in new[] { 2, 3 })
        {
            var other = Run(parts);
            other.Y.Should().Equal(one.Y, $"{parts} parts, output");
            other.Dx.Should().Equal(one.Dx, $"{parts} parts, input gradient");
            other.DW.Should().Equal(one.DW, $"{parts} parts, weight gradient");
            other.Db.Should().Equal(one.Db, $"{parts} parts, bias gradient");
        }
    }

    [Fact]
    public void Forward_KnownFilter_IsCrossCorrelationNotFlipped()
    {
        // x = 1..9 in a 3×3 image; w = [[1, 0], [0, −1]]: y[r, q] = x[r, q] − x[r+1, q+1] + b = −4 + 0.5.
        // A flipped (mathematical) convolution would give +4 + 0.5 instead.
        var layer = new Conv2D<double>(1, 1, kernel: 2, seed: 0, init: WeightInit.Zeros);
        layer.Weight.SetValue([1, 0, 0, -1]);
        layer.Bias!.SetValue([0.5]);
        var y = layer.Forward(TestTensors.Create(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3), training: false);
        y.ToArray().Should().Equal(-3.5, -3.5, -3.5, -3.5);
    }

    [Fact]
    public void Forward_PaddingAndStride_ReadsZerosOutsideTheImage()
    {
        // 3×3 ones, 3×3 ones kernel, padding 1, stride 2: windows centred on the corners see 4 ones each.
        var layer = new Conv2D<double>(1, 1, kernel: 3, seed: 0, stride: 2, padding: 1, init: WeightInit.Zeros);
        layer.Weight.SetValue(Enumerable.Repeat(1.0, 9).ToArray());
        var y = layer.Forward(TestTensors.Create(Enumerable.Repeat(1.0, 9).ToArray(), 1, 1, 3, 3), training: false);
        y.Lengths.ToArray().Should().Equal(1, 1, 2, 2);
        y.ToArray().Should().Equal(4, 4, 4, 4);
    }

    [Fact]
    public void Backward_OverlappingPatches_SumsInputGradient()
    {
        // 3×3 image, 2×2 ones kernel, stride 1: the centre pixel lies in all four patches.
        var layer = new Conv2D<double>(1, 1, kernel: 2, seed: 0, init: WeightInit.Zeros);
        layer.Weight.SetValue([1, 1, 1, 1]);
        layer.Forward(TestTensors.Random<double>(1, 1, 1, 3, 3), training: false);
        var dx = layer.Backward(TestTensors.Create(new double[] { 1, 1, 1, 1 }, 1, 1, 2, 2));
        dx.ToArray().Should().Equal(1, 2, 1, 2, 4, 2, 1, 2, 1);
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesParameterGradients()
    {
        var layer = new Conv2D<double>(2, 3, kernel: 3, seed: 5, padding: 1);
        var x = TestTensors.Random<double>(1, 2, 2, 4, 4);
        var g = TestTensors.Random<double>(2, 2, 3, 4, 4);
        layer.Forward(x, training: false);
        layer.Backward(g);
        var weightOnce = layer.Weight.GradientSpan.ToArray();
        var biasOnce = layer.Bias!.GradientSpan.ToArray();
        layer.Forward(x, training: false);
        layer.Backward(g);
        layer.Weight.GradientSpan.ToArray().Should().Equal(weightOnce.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-13 * Math.Max(1, Math.Abs(b)));
        layer.Bias!.GradientSpan.ToArray().Should().Equal(biasOnce.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-13 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void Forward_BatchShrinks_ResultsMatchSingleSamples()
    {
        // Buffers are reused across batch sizes: a batch of 3, then of 1, must give what each sample gives alone.
        var layer = new Conv2D<double>(2, 2, kernel: 3, seed: 8, stride: 2, padding: 1);
        var x = TestTensors.Random<double>(9, 3, 2, 5, 5).ToArray();
        var all = layer.Forward(TestTensors.Create(x, 3, 2, 5, 5), training: false).ToArray();
        var last = layer.Forward(TestTensors.Create(x[(2 * 50)..], 1, 2, 5, 5), training: false).ToArray();
        last.Should().Equal(all[(2 * all.Length / 3)..]);
    }

    [Fact]
    public void Forward_Float_AgreesWithDouble()
    {
        var d = new Conv2D<double>(2, 3, kernel: 3, seed: 9, padding: 1);
        var f = new Conv2D<float>(2, 3, kernel: 3, seed: 9, padding: 1);
        var x = TestTensors.Random<double>(4, 2, 2, 6, 5);
        var yd = d.Forward(x, training: false).ToArray();
        var yf = f.Forward(TestTensors.Create(x.ToArray().Select(v => (float)v).ToArray(), 2, 2, 6, 5), training: false).ToArray();
        yf.Select(v => (double)v).Should().Equal(yd, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Theory]
    [InlineData(28, 28, 5, 1, 2, 28, 28)]
    [InlineData(28, 28, 5, 1, 0, 24, 24)]
    [InlineData(7, 8, 3, 2, 0, 3, 3)]
    [InlineData(5, 9, 5, 1, 0, 1, 5)]
    public void OutputShape_Geometry_IsFloorFormula(int h, int w, int k, int s, int p, int outH, int outW) =>
        new Conv2D<float>(3, 4, k, seed: 0, stride: s, padding: p).OutputShape([3, h, w]).Should().Equal(4, outH, outW);

    [Fact]
    public void OutputShape_KernelLargerThanPaddedInput_NamesLayerAndShapes()
    {
        var layer = new Conv2D<float>(1, 6, kernel: 5, seed: 0, padding: 0);
        var act = () => layer.OutputShape([1, 3, 3]);
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("*Conv2D(1 → 6, 5×5, stride 1, padding 0)*[1, H, W]*[1, 3, 3]*5×5 kernel is larger than the padded 3×3 input*");
    }

    [Fact]
    public void Forward_KernelLargerThanPaddedInput_NamesLayerAndShapes()
    {
        var layer = new Conv2D<float>(1, 2, (3, 5), new Random(0), padding: (0, 1));
        var act = () => layer.Forward(TestTensors.Random<float>(0, 2, 1, 4, 2), training: false);
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("*Conv2D(1 → 2, 3×5, stride 1, padding 0×1)*[2, 1, 4, 2]*padded 4×4 input*");
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesLayerAndBothShapes()
    {
        var layer = new Conv2D<float>(3, 8, kernel: 3, seed: 0);
        var act = () => layer.Forward(TestTensors.Random<float>(0, 2, 1, 8, 8), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Conv2D(3 → 8, 3×3, stride 1, padding 0)*[N, 3, H, W]*[2, 1, 8, 8]*");
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(3, 0, 0)]
    [InlineData(3, 1, -1)]
    public void Constructor_InvalidGeometry_Throws(int kernel, int stride, int padding)
    {
        var act = () => new Conv2D<float>(1, 1, kernel, seed: 0, stride: stride, padding: padding);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Conv2D(1 → 1)*");
    }

    [Fact]
    public void Parameters_ArePyTorchShaped()
    {
        var layer = new Conv2D<float>(3, 16, (5, 3), new Random(0));
        layer.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        layer.Weight.Shape.Should().Equal(16, 3, 5, 3);
        layer.Bias!.Shape.Should().Equal(16);
    }

    [Fact]
    public void ToString_PrintsChannelsKernelStrideAndPadding()
    {
        new Conv2D<float>(1, 6, kernel: 5, seed: 0, padding: 2).ToString().Should().Be("Conv2D(1 → 6, 5×5, stride 1, padding 2)");
        new Conv2D<float>(2, 4, (3, 5), new Random(0), stride: (1, 2), padding: (1, 2)).ToString()
            .Should().Be("Conv2D(2 → 4, 3×5, stride 1×2, padding 1×2)");
    }

    [Fact]
    public void Describe_ListsEverySetting()
    {
        var settings = new Conv2D<float>(2, 4, (3, 5), new Random(0), stride: (1, 2), padding: (0, 2)).Describe().Settings;
        settings.Should().Equal(new Dictionary<string, double>
        {
            ["inChannels"] = 2, ["outChannels"] = 4, ["kernelH"] = 3, ["kernelW"] = 5,
            ["strideH"] = 1, ["strideW"] = 2, ["padH"] = 0, ["padW"] = 2,
        });
    }

    /// <summary>
    /// The definition, summed term by term (PyTorch's cross-correlation with zero padding); in <paramref name="groups"/>
    /// groups, output channel o sums over the Cin/groups input channels of its group, from channel (o / (Cout/groups))·Cin/groups.
    /// </summary>
    internal static double[] DirectConvolution(double[] x, int batch, int cin, int h, int w, double[] weight, double[] bias,
        int cout, int kh, int kw, int sh, int sw, int ph, int pw, out int outH, out int outW, int groups = 1)
    {
        outH = (h + 2 * ph - kh) / sh + 1;
        outW = (w + 2 * pw - kw) / sw + 1;
        int inPer = cin / groups, outPer = cout / groups;
        var y = new double[batch * cout * outH * outW];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < cout; o++)
                for (int r = 0; r < outH; r++)
                    for (int q = 0; q < outW; q++)
                    {
                        double sum = bias[o];
                        for (int c = 0; c < inPer; c++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int row = r * sh - ph + i, column = q * sw - pw + j;
                                    if (row < 0 || row >= h || column < 0 || column >= w) continue;
                                    sum += weight[((o * inPer + c) * kh + i) * kw + j] * x[((n * cin + o / outPer * inPer + c) * h + row) * w + column];
                                }
                        y[((n * cout + o) * outH + r) * outW + q] = sum;
                    }
        return y;
    }
}
