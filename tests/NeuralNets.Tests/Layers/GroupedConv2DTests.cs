using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>Conv2D with groups (PyTorch's <c>groups</c>): grouped and depthwise convolutions.</summary>
public class GroupedConv2DTests
{
    // batch, cin, cout, groups, h, w, k, stride, padding
    public static TheoryData<int, int, int, int, int, int, int, int, int> Configurations => new()
    {
        { 2, 4, 6, 2, 5, 5, 3, 1, 0 },   // two groups, valid
        { 1, 4, 2, 2, 6, 5, 3, 2, 1 },   // two groups, stride 2 and padding
        { 2, 3, 3, 3, 5, 6, 3, 1, 1 },   // depthwise, channel multiplier 1, 'same'
        { 2, 3, 6, 3, 6, 6, 3, 2, 1 },   // depthwise, channel multiplier 2, stride 2
        { 1, 2, 4, 2, 7, 7, 5, 1, 2 },   // depthwise 5×5, multiplier 2
        { 3, 6, 6, 3, 4, 4, 1, 1, 0 },   // grouped 1×1
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_Grouped_MatchesDirectSum(int batch, int cin, int cout, int groups, int h, int w, int k, int stride, int padding)
    {
        var layer = new Conv2D<double>(cin, cout, k, seed: 1, stride: stride, padding: padding, groups: groups);
        layer.Bias!.SetValue(TestTensors.Random<double>(2, cout).ToArray());
        var x = TestTensors.Random<double>(3, batch, cin, h, w);
        var expected = Conv2DTests.DirectConvolution(x.ToArray(), batch, cin, h, w, layer.Weight.ValueSpan.ToArray(), layer.Bias.ValueSpan.ToArray(), cout,
            k, k, stride, stride, padding, padding, out int outH, out int outW, groups);
        var y = layer.Forward(x, training: false);
        y.Lengths.ToArray().Should().Equal(batch, cout, outH, outW);
        y.ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Backward_Grouped_MatchesFiniteDifferences(int batch, int cin, int cout, int groups, int h, int w, int k, int stride, int padding)
    {
        var layer = new Conv2D<double>(cin, cout, k, seed: 1, stride: stride, padding: padding, groups: groups);
        layer.Bias!.SetValue(TestTensors.Random<double>(2, cout).ToArray());
        // Bilinear in (x, w): central differences are exact but for rounding, which a large ε keeps small.
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, cin, h, w), seed: 4, epsilon: 1e-3);
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    public void Backward_DepthwiseWithoutBias_MatchesFiniteDifferences(int channels, int multiplier)
    {
        var layer = new Conv2D<double>(channels, channels * multiplier, 3, seed: 2, padding: 1, bias: false, groups: channels);
        layer.Parameters.Should().HaveCount(1);
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(5, 2, channels, 5, 4), seed: 6, epsilon: 1e-3);
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Fact]
    public void ForwardBackward_Grouped_EqualsOneConvolutionPerGroup()
    {
        // Group g of a 4 → 6 layer in two groups is a 2 → 3 layer on channels 2g, 2g + 1 with weight rows 3g .. 3g + 2.
        var grouped = new Conv2D<float>(4, 6, 3, seed: 3, padding: 1, groups: 2);
        var x = TestTensors.Random<float>(1, 3, 4, 6, 6).ToArray();
        var dy = TestTensors.Random<float>(2, 3, 6, 6, 6).ToArray();
        var y = grouped.Forward(TestTensors.Create(x, 3, 4, 6, 6), training: true).ToArray();
        var dx = grouped.Backward(TestTensors.Create(dy, 3, 6, 6, 6)).ToArray();
        for (int g = 0; g < 2; g++)
        {
            var single = new Conv2D<float>(2, 3, 3, seed: 0, padding: 1);
            single.Weight.SetValue(grouped.Weight.ValueSpan.Slice(g * 54, 54).ToArray());
            single.Bias!.SetValue(grouped.Bias!.ValueSpan.Slice(g * 3, 3).ToArray());
            var ySingle = single.Forward(TestTensors.Create(Channels(x, 3, 4, 36, 2 * g, 2), 3, 2, 6, 6), training: true).ToArray();
            var dxSingle = single.Backward(TestTensors.Create(Channels(dy, 3, 6, 36, 3 * g, 3), 3, 3, 6, 6)).ToArray();
            Channels(y, 3, 6, 36, 3 * g, 3).Should().Equal(ySingle, $"group {g} output");
            Channels(dx, 3, 4, 36, 2 * g, 2).Should().Equal(dxSingle, $"group {g} input gradient");
            grouped.Weight.GradientSpan.Slice(g * 54, 54).ToArray().Should().Equal(single.Weight.GradientSpan.ToArray(), $"group {g} weight gradient");
            grouped.Bias.GradientSpan.Slice(g * 3, 3).ToArray().Should().Equal(single.Bias.GradientSpan.ToArray(), $"group {g} bias gradient");
        }
    }

    [Fact]
    public void ForwardBackward_DirectOrUnfoldedPaths_BitIdentical()
    {
        (float[] Y, float[] Dx, float[] DW) Run(bool? direct)
        {
            var layer = new Conv2D<float>(8, 16, 3, seed: 1, padding: 1, groups: 8) { ForcedChoice = direct, ForcedInputGradientChoice = direct };
            var y = layer.Forward(TestTensors.Random<float>(2, 3, 8, 9, 9), training: true).ToArray();
            var dx = layer.Backward(TestTensors.Random<float>(3, 3, 16, 9, 9)).ToArray();
            return (y, dx, layer.Weight.GradientSpan.ToArray());
        }
        var unfolded = Run(false);
        var direct = Run(true);
        direct.Y.Should().Equal(unfolded.Y);
        direct.Dx.Should().Equal(unfolded.Dx);
        direct.DW.Should().Equal(unfolded.DW);
    }

    [Fact]
    public void Constructor_Grouped_WeightShapeAndFanInArePyTorchs()
    {
        var layer = new Conv2D<double>(8, 16, 3, seed: 0, groups: 4);
        layer.Weight.Value.Lengths.ToArray().Should().Equal(16, 2, 3, 3);
        layer.Groups.Should().Be(4);
        // He uniform over fan-in Cin/G·kH·kW = 18: bound √(6/18); 288 draws come close to it.
        double bound = Math.Sqrt(6.0 / 18), largest = layer.Weight.ValueSpan.ToArray().Max(Math.Abs);
        largest.Should().BeLessThanOrEqualTo(bound).And.BeGreaterThan(0.9 * bound);
    }

    [Theory]
    [InlineData(4, 6, 4)]
    [InlineData(6, 4, 4)]
    [InlineData(4, 4, 3)]
    public void Constructor_GroupsNotDividingChannels_Throws(int cin, int cout, int groups)
    {
        var act = () => new Conv2D<float>(cin, cout, 3, seed: 0, groups: groups);
        act.Should().Throw<ArgumentException>().WithMessage($"*groups {groups} must divide both the input channels {cin} and the output channels {cout}*");
    }

    [Fact]
    public void Constructor_GroupsZero_Throws()
    {
        var act = () => new Conv2D<float>(4, 4, 3, seed: 0, groups: 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ToStringAndDescribe_Grouped_NameGroups()
    {
        var layer = new Conv2D<float>(8, 8, 3, seed: 0, padding: 1, bias: false, groups: 8);
        layer.ToString().Should().Be("Conv2D(8 → 8, 3×3, stride 1, padding 1, groups 8, no bias)");
        layer.Describe().Settings.Should().ContainKey("groups").WhoseValue.Should().Be(8);
        new Conv2D<float>(8, 8, 3, seed: 0).Describe().Settings.Should().NotContainKey("groups");
    }

    [Fact]
    public void InferenceCopy_Grouped_PredictsAsTheLayer()
    {
        var layer = new Conv2D<float>(4, 8, 3, seed: 5, padding: 1, groups: 4);
        var x = TestTensors.Random<float>(6, 2, 4, 5, 5);
        var copy = layer.CreateInferenceCopy();
        copy.Forward(x, training: false).ToArray().Should().Equal(layer.Forward(x, training: false).ToArray());
    }

    // Channels [first, first + count) of each of `batch` samples of `channels` planes of `plane` values.
    internal static float[] Channels(float[] values, int batch, int channels, int plane, int first, int count)
    {
        var result = new float[batch * count * plane];
        for (int n = 0; n < batch; n++)
            Array.Copy(values, (n * channels + first) * plane, result, n * count * plane, count * plane);
        return result;
    }
}
