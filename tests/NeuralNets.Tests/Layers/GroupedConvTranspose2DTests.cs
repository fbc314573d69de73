using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>ConvTranspose2D with groups (PyTorch's <c>groups</c>): weight <c>[Cin, Cout/G, kH, kW]</c>, each group stamped apart.</summary>
public class GroupedConvTranspose2DTests
{
    // batch, cin, cout, groups, h, w, k, stride, padding, output padding
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Configurations => new()
    {
        { 2, 4, 6, 2, 3, 3, 3, 1, 0, 0 },   // two groups
        { 1, 4, 2, 2, 3, 4, 3, 2, 1, 1 },   // two groups, stride 2, padding and output padding
        { 2, 3, 3, 3, 3, 3, 4, 2, 1, 0 },   // depthwise, a generator's 4×4 stride 2
        { 1, 2, 4, 2, 2, 3, 3, 2, 0, 1 },   // depthwise, two outputs per channel
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Backward_Grouped_MatchesFiniteDifferences(int batch, int cin, int cout, int groups, int h, int w, int k, int stride, int padding, int outputPadding)
    {
        var layer = new ConvTranspose2D<double>(cin, cout, k, seed: 1, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups);
        layer.Bias!.SetValue(TestTensors.Random<double>(2, cout).ToArray());
        // Input seed 5: seed 4 gave one input gradient of 4e-5 beside ones of order 1, whose finite difference keeps 1.4e-12 of rounding (3e-8 relative).
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, cin, h, w), seed: 5, epsilon: 1e-3);
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardBackward_Grouped_EqualsOneTransposedConvolutionPerGroup(bool bias)
    {
        // Group g of a 4 → 6 layer in two groups is a 2 → 3 layer on input channels 2g, 2g + 1 with weight rows 2g, 2g + 1 ([Cin, Cout/G, 3, 3]).
        var grouped = new ConvTranspose2D<float>(4, 6, 3, seed: 3, stride: 2, padding: 1, outputPadding: 1, bias: bias, groups: 2);
        var x = TestTensors.Random<float>(1, 3, 4, 4, 4).ToArray();
        var dy = TestTensors.Random<float>(2, 3, 6, 8, 8).ToArray();
        var y = grouped.Forward(TestTensors.Create(x, 3, 4, 4, 4), training: true).ToArray();
        var dx = grouped.Backward(TestTensors.Create(dy, 3, 6, 8, 8)).ToArray();
        for (int g = 0; g < 2; g++)
        {
            var single = new ConvTranspose2D<float>(2, 3, 3, seed: 0, stride: 2, padding: 1, outputPadding: 1, bias: bias);
            single.Weight.SetValue(grouped.Weight.ValueSpan.Slice(g * 54, 54).ToArray());
            if (bias) single.Bias!.SetValue(grouped.Bias!.ValueSpan.Slice(g * 3, 3).ToArray());
            var ySingle = single.Forward(TestTensors.Create(GroupedConv2DTests.Channels(x, 3, 4, 16, 2 * g, 2), 3, 2, 4, 4), training: true).ToArray();
            var dxSingle = single.Backward(TestTensors.Create(GroupedConv2DTests.Channels(dy, 3, 6, 64, 3 * g, 3), 3, 3, 8, 8)).ToArray();
            GroupedConv2DTests.Channels(y, 3, 6, 64, 3 * g, 3).Should().Equal(ySingle, $"group {g} output");
            GroupedConv2DTests.Channels(dx, 3, 4, 16, 2 * g, 2).Should().Equal(dxSingle, $"group {g} input gradient");
            grouped.Weight.GradientSpan.Slice(g * 54, 54).ToArray().Should().Equal(single.Weight.GradientSpan.ToArray(), $"group {g} weight gradient");
            if (bias) grouped.Bias!.GradientSpan.Slice(g * 3, 3).ToArray().Should().Equal(single.Bias!.GradientSpan.ToArray(), $"group {g} bias gradient");
        }
    }

    [Fact]
    public void Constructor_Grouped_WeightShapeFanInTextAndDescription()
    {
        var layer = new ConvTranspose2D<double>(8, 4, 3, seed: 0, stride: 2, groups: 4);
        layer.Weight.Value.Lengths.ToArray().Should().Equal(8, 1, 3, 3);
        // He uniform over PyTorch's fan-in Cout/G·kH·kW = 9: bound √(6/9).
        layer.Weight.ValueSpan.ToArray().Max(Math.Abs).Should().BeLessThanOrEqualTo(Math.Sqrt(6.0 / 9));
        layer.ToString().Should().Be("ConvTranspose2D(8 → 4, 3×3, stride 2, padding 0, output padding 0×0, groups 4)");
        layer.Describe().Settings.Should().ContainKey("groups").WhoseValue.Should().Be(4);
        new ConvTranspose2D<double>(8, 4, 3, seed: 0).Describe().Settings.Should().NotContainKey("groups");
        var act = () => new ConvTranspose2D<float>(4, 6, 3, seed: 0, groups: 4);
        act.Should().Throw<ArgumentException>().WithMessage("*ConvTranspose2D(4 → 6)*groups 4 must divide both the input channels 4 and the output channels 6*");
    }
}
