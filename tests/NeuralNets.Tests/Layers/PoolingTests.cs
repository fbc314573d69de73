using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

public class PoolingTests
{
    // batch, channels, h, w, kh, kw, sh, sw, ph, pw
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Configurations => new()
    {
        { 2, 3, 4, 4, 2, 2, 2, 2, 0, 0 },   // the usual 2×2 halving
        { 1, 2, 5, 5, 3, 3, 1, 1, 0, 0 },   // overlapping windows
        { 2, 1, 7, 8, 3, 3, 2, 2, 1, 1 },   // stride that does not divide, with padding
        { 1, 2, 5, 6, 2, 3, 1, 2, 0, 1 },   // rectangular window, stride and padding
        { 1, 1, 3, 5, 3, 5, 1, 1, 0, 0 },   // window as large as the image
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MaxPoolBackward_AnyGeometry_MatchesFiniteDifferences(int batch, int channels, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var layer = new MaxPool2D<double>((kh, kw), (sh, sw), (ph, pw));
        // Distinct random values: the maximum is never tied, so the function is differentiable at the point.
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, channels, h, w), seed: 4);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AvgPoolBackward_AnyGeometry_MatchesFiniteDifferences(int batch, int channels, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var layer = new AvgPool2D<double>((kh, kw), (sh, sw), (ph, pw));
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, channels, h, w), seed: 4);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_AnyGeometry_MatchesDirectWindows(int batch, int channels, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var x = TestTensors.Random<double>(5, batch, channels, h, w);
        var max = new MaxPool2D<double>((kh, kw), (sh, sw), (ph, pw)).Forward(x, training: false).ToArray();
        var avg = new AvgPool2D<double>((kh, kw), (sh, sw), (ph, pw)).Forward(x, training: false).ToArray();
        var values = x.ToArray();
        int outH = (h + 2 * ph - kh) / sh + 1, outW = (w + 2 * pw - kw) / sw + 1, k = 0;
        for (int plane = 0; plane < batch * channels; plane++)
            for (int r = 0; r < outH; r++)
                for (int q = 0; q < outW; q++, k++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            int row = r * sh - ph + i, column = q * sw - pw + j;
                            if (row < 0 || row >= h || column < 0 || column >= w) continue;
                            best = Math.Max(best, values[(plane * h + row) * w + column]);
                            sum += values[(plane * h + row) * w + column];
                        }
                    max[k].Should().Be(best);
                    avg[k].Should().BeApproximately(sum / (kh * kw), 1e-14);
                }
        max.Length.Should().Be(k);
    }

    [Fact]
    public void MaxPoolForward_TwoByTwo_TakesEachWindowsMaximum()
    {
        var x = TestTensors.Create(Enumerable.Range(0, 16).Select(v => (double)v).ToArray(), 1, 1, 4, 4);
        new MaxPool2D<double>(2).Forward(x, training: false).ToArray().Should().Equal(5, 7, 13, 15);
    }

    [Fact]
    public void AvgPoolForward_TwoByTwo_AveragesEachWindow()
    {
        var x = TestTensors.Create(Enumerable.Range(0, 16).Select(v => (double)v).ToArray(), 1, 1, 4, 4);
        new AvgPool2D<double>(2).Forward(x, training: false).ToArray().Should().Equal(2.5, 4.5, 10.5, 12.5);
    }

    [Fact]
    public void MaxPoolBackward_OverlappingWindowsShareWinner_GradientsAdd()
    {
        // The centre is the maximum of all four 2×2 windows of a 3×3 image (stride 1).
        var layer = new MaxPool2D<double>(2, stride: 1);
        layer.Forward(TestTensors.Create(new double[] { 1, 2, 3, 4, 9, 5, 6, 7, 8 }, 1, 1, 3, 3), training: false);
        var dx = layer.Backward(TestTensors.Create(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2));
        dx.ToArray().Should().Equal(0, 0, 0, 0, 10, 0, 0, 0, 0);
    }

    [Fact]
    public void MaxPoolBackward_Tie_RoutesToFirstInRowMajorOrder()
    {
        var layer = new MaxPool2D<double>(2);
        layer.Forward(TestTensors.Create(new double[] { 1, 3, 3, 3 }, 1, 1, 2, 2), training: false);
        layer.Backward(TestTensors.Create(new double[] { 1 }, 1, 1, 1, 1)).ToArray().Should().Equal(0, 1, 0, 0);
    }

    [Fact]
    public void MaxPoolForward_NaNInWindow_PropagatesAndTakesTheGradient()
    {
        var layer = new MaxPool2D<double>(2);
        var y = layer.Forward(TestTensors.Create(new double[] { 1, double.NaN, 5, 2, 0, 0, 0, 0 }, 1, 1, 2, 4), training: false);
        double.IsNaN(y.ToArray()[0]).Should().BeTrue();
        y.ToArray()[1].Should().Be(5);
        layer.Backward(TestTensors.Create(new double[] { 1, 1 }, 1, 1, 1, 2)).ToArray().Should().Equal(0, 1, 1, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void MaxPoolForward_Padding_IsMinusInfinityNotZero()
    {
        var x = TestTensors.Create(new double[] { -1, -2, -3, -4 }, 1, 1, 2, 2);
        new MaxPool2D<double>(2, stride: 1, padding: 1).Forward(x, training: false).ToArray().Should().Equal(-1, -1, -2, -1, -1, -2, -3, -3, -4);
    }

    [Fact]
    public void AvgPoolForward_Padding_CountsZerosInTheAverage()
    {
        // PyTorch's default count_include_pad=True: the divisor is always kH·kW.
        var x = TestTensors.Create(new double[] { 1, 1, 1, 1 }, 1, 1, 2, 2);
        new AvgPool2D<double>(2, stride: 1, padding: 1).Forward(x, training: false).ToArray().Should().Equal(0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25);
    }

    [Theory]
    [InlineData(3, 2, 2, 1, 1, 9)]   // clipped rows, overlapping columns
    [InlineData(2, 2, 2, 2, 0, 9)]   // the common 2×2 window, on an odd width (the last column unused): four windows a row
    [InlineData(2, 2, 2, 2, 0, 13)]  // six windows a row: four at a time, the last group overlapping
    [InlineData(2, 2, 2, 2, 0, 20)]  // ten: eight at a time where there are 256-bit vectors, the last group overlapping
    [InlineData(2, 2, 2, 2, 0, 7)]   // three: one at a time
    public void AvgPool_ManyPlanes_EachWindowsSumInOrder_AndItsShareAddedOutputAfterOutput(int kh, int kw, int sh, int sw, int ph, int w)
    {
        // 64 planes of 10 rows (enough to split across the cores); zeros of both signs side by side, and a NaN and an infinity.
        const int planes = 64, h = 10;
        var layer = new AvgPool2D<float>((kh, kw), (sh, sw), (ph, 0));
        int outH = (h + 2 * ph - kh) / sh + 1, outW = (w - kw) / sw + 1;
        var x = TestTensors.Random<float>(21, 8, 8, h, w);
        var dy = TestTensors.Random<float>(22, 8, 8, outH, outW);
        var values = x.Span();
        for (int i = 0; i + 1 < values.Length; i += 7) (values[i], values[i + 1]) = (-0f, i % 14 == 0 ? -0f : 0f);
        for (int p = 0; p < planes; p++)
            foreach (int at in new[] { 0, 1, w, w + 1 }) values[p * h * w + at] = -0f;  // each plane's first window all −0
        values[3 * w + 2] = float.NaN;
        values[5 * w + 4] = float.PositiveInfinity;
        var gradients = dy.Span();
        for (int i = 0; i < gradients.Length; i += 5) gradients[i] = -0f;
        var y = layer.Forward(x, training: true).ToArray();
        var dx = layer.Backward(dy).ToArray();

        var xs = x.ToArray();
        var gs = dy.ToArray();
        float scale = 1f / (kh * kw);
        var expectedY = new float[y.Length];
        var expectedDx = new float[xs.Length];
        int k = 0;
        for (int p = 0; p < planes; p++)
            for (int r = 0; r < outH; r++)
                for (int q = 0; q < outW; q++, k++)
                {
                    int r0 = Math.Max(0, r * sh - ph), r1 = Math.Min(h, r * sh - ph + kh), c0 = q * sw, c1 = Math.Min(w, q * sw + kw);
                    float sum = 0;
                    for (int i = r0; i < r1; i++)
                    {
                        float row = 0;
                        for (int j = c0; j < c1; j++) row += xs[(p * h + i) * w + j];
                        sum += row;
                    }
                    expectedY[k] = sum * scale;
                    float share = gs[k] * scale;
                    for (int i = r0; i < r1; i++)
                        for (int j = c0; j < c1; j++) expectedDx[(p * h + i) * w + j] += share;
                }
        y.Select(BitConverter.SingleToInt32Bits).Should().Equal(expectedY.Select(BitConverter.SingleToInt32Bits), "the outputs' bits, zeros' signs too");
        dx.Select(BitConverter.SingleToInt32Bits).Should().Equal(expectedDx.Select(BitConverter.SingleToInt32Bits), "the input gradient's bits");
    }

    [Fact]
    public void AvgPoolBackward_OverlappingWindows_GradientsAdd()
    {
        var layer = new AvgPool2D<double>(2, stride: 1);
        layer.Forward(TestTensors.Random<double>(0, 1, 1, 3, 3), training: false);
        var dx = layer.Backward(TestTensors.Create(new double[] { 4, 4, 4, 4 }, 1, 1, 2, 2));
        dx.ToArray().Should().Equal(1, 2, 1, 2, 4, 2, 1, 2, 1);
    }

    [Fact]
    public void OutputShape_KeepsChannelsAndAppliesFloorFormula()
    {
        new MaxPool2D<float>(2).OutputShape([6, 28, 28]).Should().Equal(6, 14, 14);
        new MaxPool2D<float>(2).OutputShape([6, 7, 9]).Should().Equal(6, 3, 4);
        new AvgPool2D<float>((3, 2), stride: (2, 1), padding: (1, 0)).OutputShape([2, 7, 5]).Should().Equal(2, 4, 4);
    }

    [Fact]
    public void OutputShape_WindowLargerThanInput_NamesLayerAndShapes()
    {
        var act = () => new MaxPool2D<float>(3).OutputShape([4, 2, 2]);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*MaxPool2D(3×3, stride 3)*[C, H, W]*[4, 2, 2]*3×3 kernel is larger than the padded 2×2 input*");
    }

    [Fact]
    public void Forward_WindowLargerThanInput_NamesLayerAndShapes()
    {
        var act = () => new AvgPool2D<float>((2, 5)).Forward(TestTensors.Random<float>(0, 1, 1, 4, 4), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*AvgPool2D(2×5, stride 2×5)*[1, 1, 4, 4]*larger than the padded 4×4 input*");
    }

    [Fact]
    public void Forward_NotAnImageBatch_NamesLayerAndShape()
    {
        var act = () => new MaxPool2D<float>(2).Forward(TestTensors.Random<float>(0, 2, 16), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*MaxPool2D*[N, C, H, W]*[2, 16]*");
    }

    [Fact]
    public void Constructor_PaddingMoreThanHalfTheKernel_Throws()
    {
        var act = () => new MaxPool2D<float>(2, padding: 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxPool2D*at most half*");
    }

    [Fact]
    public void ToStringAndDescribe_PrintWindow()
    {
        new MaxPool2D<float>(2).ToString().Should().Be("MaxPool2D(2×2, stride 2)");
        new AvgPool2D<float>(3, stride: 1, padding: 1).ToString().Should().Be("AvgPool2D(3×3, stride 1, padding 1)");
        new MaxPool2D<float>((2, 3), stride: (1, 2)).Describe().Settings.Should().Equal(new Dictionary<string, double>
        {
            ["kernelH"] = 2, ["kernelW"] = 3, ["strideH"] = 1, ["strideW"] = 2, ["padH"] = 0, ["padW"] = 0,
        });
    }
}
