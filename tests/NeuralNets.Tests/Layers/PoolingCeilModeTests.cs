using System.Numerics;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Tests.Golden;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// PyTorch's <c>ceil_mode</c> and <c>count_include_pad</c> on <see cref="MaxPool2D{T}"/> and <see cref="AvgPool2D{T}"/>:
/// PyTorch's recorded values, finite differences, and every path (the 2×2 ones included) on partial windows, bit for bit
/// against the windows written out one at a time.
/// </summary>
public class PoolingCeilModeTests
{
    public static TheoryData<int> RecordedCases => new(Enumerable.Range(0, PyTorchPoolingValues.Cases.Length));

    private static ILayer<T> Create<T>(PoolingCase c) where T : unmanaged, IFloatingPointIeee754<T> => c.Max
        ? new MaxPool2D<T>((c.Kernel[0], c.Kernel[1]), (c.Stride[0], c.Stride[1]), (c.Padding[0], c.Padding[1]), c.CeilMode)
        : new AvgPool2D<T>((c.Kernel[0], c.Kernel[1]), (c.Stride[0], c.Stride[1]), (c.Padding[0], c.Padding[1]), c.CeilMode, c.CountIncludePad);

    [Theory]
    [MemberData(nameof(RecordedCases))]
    public void ForwardAndBackward_Double_MatchPyTorch(int index)
    {
        var c = PyTorchPoolingValues.Cases[index];
        var layer = Create<double>(c);
        layer.OutputShape(c.Shape[1..]).Should().Equal(c.OutputShape[1..], c.Window);
        var y = layer.Forward(TestTensors.Create(c.Input, c.Shape), training: true);
        y.Lengths.ToArray().Select(l => (int)l).Should().Equal(c.OutputShape, c.Window);
        y.ToArray().ShouldMatchTorch(c.Output, $"{layer} output");
        layer.Backward(TestTensors.Create(c.OutputGradient, c.OutputShape)).ToArray().ShouldMatchTorch(c.InputGradient, $"{layer} input gradient");
    }

    [Theory]
    [MemberData(nameof(RecordedCases))]
    public void ForwardAndBackward_Float_MatchPyTorch(int index)
    {
        var c = PyTorchPoolingValues.Cases[index];
        var layer = Create<float>(c);
        var y = layer.Forward(TestTensors.Create(c.Input.Select(v => (float)v).ToArray(), c.Shape), training: true).ToArray();
        var dx = layer.Backward(TestTensors.Create(c.OutputGradient.Select(v => (float)v).ToArray(), c.OutputShape)).ToArray();
        for (int i = 0; i < y.Length; i++) y[i].Should().BeApproximately((float)c.Output[i], 1e-5f, $"{layer} output {i}");
        for (int i = 0; i < dx.Length; i++) dx[i].Should().BeApproximately((float)c.InputGradient[i], 1e-5f, $"{layer} input gradient {i}");
    }

    // batch, channels, h, w, kh, kw, sh, sw, ph, pw, countIncludePad
    public static TheoryData<int, int, int, int, int, int, int, int, int, int, bool> Geometries => new()
    {
        { 2, 2, 5, 7, 2, 2, 2, 2, 0, 0, true },    // the 2×2 window, last row and column overhanging
        { 1, 2, 6, 6, 3, 3, 2, 2, 1, 1, true },    // overhanging the padding
        { 1, 2, 6, 6, 3, 3, 2, 2, 1, 1, false },
        { 1, 1, 5, 7, 3, 3, 3, 3, 1, 1, false },   // a window that would start in the padding left out
        { 1, 2, 7, 8, 2, 2, 3, 3, 0, 0, true },    // stride beyond the kernel
        { 2, 1, 6, 5, 3, 2, 2, 1, 1, 0, false },   // rectangular
        { 1, 1, 2, 4, 3, 3, 2, 2, 0, 0, true },    // a kernel larger than the input
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_CeilMode_MatchesFiniteDifferences(int batch, int channels, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool countIncludePad)
    {
        var x = TestTensors.Random<double>(3, batch, channels, h, w);
        var max = GradientCheck.Layer(new MaxPool2D<double>((kh, kw), (sh, sw), (ph, pw), ceilMode: true), x, seed: 4);
        max.MaxRelativeError.Should().BeLessThan(1e-7, max.ToString());
        var avg = GradientCheck.Layer(new AvgPool2D<double>((kh, kw), (sh, sw), (ph, pw), ceilMode: true, countIncludePad), x, seed: 4);
        avg.MaxRelativeError.Should().BeLessThan(1e-7, avg.ToString());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public void AvgPoolBackward_PaddingNotCounted_MatchesFiniteDifferences(int padH, int padW)
    {
        var layer = new AvgPool2D<double>((5, 3), (2, 1), (padH, padW), countIncludePad: false);
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(5, 2, 2, 7, 6), seed: 4);
        result.MaxRelativeError.Should().BeLessThan(1e-7, result.ToString());
    }

    // Heights and widths, odd (partial windows) and even (every window whole: the 2×2 paths), with rows of fewer than four,
    // four to eight, and more than eight windows (the vector paths' widths), and planes that stack or do not.
    public static TheoryData<int, int> TwoByTwoSizes => new()
    {
        { 5, 7 }, { 6, 9 }, { 7, 13 }, { 4, 17 }, { 9, 20 }, { 10, 16 }, { 3, 35 }, { 8, 8 }, { 1, 3 },
    };

    [Theory]
    [MemberData(nameof(TwoByTwoSizes))]
    public void MaxPoolTwoByTwo_CeilMode_EveryPathEqualsTheWindowsOneByOne(int height, int width)
    {
        Check(new MaxPool2D<float>(2, ceilMode: true), height, width);
        Check(new MaxPool2D<double>(2, ceilMode: true), height, width);
    }

    [Theory]
    [MemberData(nameof(TwoByTwoSizes))]
    public void AvgPoolTwoByTwo_CeilMode_EveryPathEqualsTheWindowsOneByOne(int height, int width)
    {
        Check(new AvgPool2D<float>(2, ceilMode: true), height, width);
        Check(new AvgPool2D<float>(2, ceilMode: true, countIncludePad: false), height, width);
        Check(new AvgPool2D<double>(2, ceilMode: true), height, width);
    }

    [Theory]
    [InlineData(3, 2, 1, 11, 13)]
    [InlineData(3, 3, 1, 10, 10)]
    [InlineData(2, 3, 0, 7, 12)]
    [InlineData(2, 2, 1, 9, 10)]
    public void GeneralWindows_CeilModeAndPaddingNotCounted_EqualTheWindowsOneByOne(int kernel, int stride, int padding, int height, int width)
    {
        Check(new MaxPool2D<float>(kernel, stride, padding, ceilMode: true), height, width);
        Check(new AvgPool2D<float>(kernel, stride, padding, ceilMode: true), height, width);
        Check(new AvgPool2D<float>(kernel, stride, padding, ceilMode: true, countIncludePad: false), height, width);
        Check(new AvgPool2D<float>(kernel, stride, padding, countIncludePad: false), height, width);
    }

    /// <summary>
    /// 64 planes (enough to split across the cores): the layer's output and input gradient, the gradient's buffer filled with
    /// NaN before so that every input must be written, against <see cref="PoolReference"/>.
    /// </summary>
    private static void Check<T>(ILayer<T> layer, int height, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestTensors.Random<T>(height * 100 + width, 8, 8, height, width);
        var y = layer.Forward(x, training: true);
        int[] outputShape = [.. y.Lengths.ToArray().Select(l => (int)l)];
        var dy = TestTensors.Random<T>(height * 100 + width + 1, outputShape);
        NeuralNets.Tensors.TensorMemory.Span(layer.Backward(dy)).Fill(T.NaN);
        var output = layer.Forward(x, training: true).ToArray();
        var inputGradient = layer.Backward(dy).ToArray();

        var expected = PoolReference.Run(layer, x.ToArray(), dy.ToArray(), 64, height, width);
        outputShape.Should().Equal([8, 8, expected.OutH, expected.OutW], $"{layer} on {height}×{width}");
        output.Should().Equal(expected.Output, $"{layer} on {height}×{width}: the output");
        inputGradient.Should().Equal(expected.InputGradient, $"{layer} on {height}×{width}: the input gradient");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FusedWithActivation_CeilMode_SameBitsAsTheLayersInTurn(bool max)
    {
        // 4 × 3 × 7 × 9 images: 2×2 windows in ceil mode give 4 × 5 outputs, the last row and column partial.
        ILayer<float> Pool() => max ? new MaxPool2D<float>(2, ceilMode: true) : new AvgPool2D<float>(2, ceilMode: true, countIncludePad: false);
        var x = TestTensors.Random<float>(1, 4, 3, 7, 9);
        var dy = TestTensors.Random<float>(2, 4, 4);
        foreach (ILayer<float> activation in new ILayer<float>[] { new ReLU<float>(), new Sigmoid<float>() })
            FusedPairCheck.SameBitsAsTheLayersInTurn(new Sequential<float>([activation, Pool(), new Flatten<float>(), new Dense<float>(3 * 4 * 5, 4, seed: 9)]), x, dy);
    }

    [Fact]
    public void OutputShape_CeilMode_RoundsUpButNotIntoThePadding()
    {
        new MaxPool2D<float>(2, ceilMode: true).OutputShape([6, 7, 9]).Should().Equal(6, 4, 5);
        new MaxPool2D<float>(2, ceilMode: true).OutputShape([6, 8, 8]).Should().Equal(6, 4, 4);
        // ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but the fourth window would start at 6 = H + p: three.
        new AvgPool2D<float>(2, stride: 2, padding: 1, ceilMode: true).OutputShape([1, 5, 5]).Should().Equal(1, 3, 3);
        // A kernel larger than the input: one window in ceil mode, none (refused) otherwise.
        new AvgPool2D<float>(3, stride: 2, ceilMode: true).OutputShape([1, 2, 2]).Should().Equal(1, 1, 1);
        var act = () => new AvgPool2D<float>(3, stride: 2).OutputShape([1, 2, 2]);
        act.Should().Throw<ShapeMismatchException>();
    }

    [Fact]
    public void ToStringAndDescribe_NonDefaultOptionsShown_DefaultsAsBefore()
    {
        new MaxPool2D<float>(2, ceilMode: true).ToString().Should().Be("MaxPool2D(2×2, stride 2, ceil mode)");
        new AvgPool2D<float>(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false).ToString()
            .Should().Be("AvgPool2D(3×3, stride 2, padding 1, ceil mode, padding not counted)");
        new AvgPool2D<float>(3, stride: 2, padding: 1).ToString().Should().Be("AvgPool2D(3×3, stride 2, padding 1)");
        new AvgPool2D<float>(2).Describe().Settings.Keys.Should().BeEquivalentTo(["kernelH", "kernelW", "strideH", "strideW", "padH", "padW"]);
        new MaxPool2D<float>(2).Describe().Settings.Keys.Should().BeEquivalentTo(["kernelH", "kernelW", "strideH", "strideW", "padH", "padW"]);
        new MaxPool2D<float>(2, ceilMode: true).Describe().Settings["ceilMode"].Should().Be(1);
        var avg = new AvgPool2D<float>(2, padding: 1, ceilMode: true, countIncludePad: false).Describe().Settings;
        (avg["ceilMode"], avg["countIncludePad"]).Should().Be((1.0, 0.0));
        var copy = (AvgPool2D<float>)new AvgPool2D<float>(2, ceilMode: true, countIncludePad: false).CreateInferenceCopy();
        (copy.CeilMode, copy.CountIncludePad).Should().Be((true, false));
        ((MaxPool2D<float>)new MaxPool2D<float>(2, ceilMode: true).CreateInferenceCopy()).CeilMode.Should().BeTrue();
    }
}
