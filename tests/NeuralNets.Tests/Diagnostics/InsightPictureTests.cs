using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>The titled, labelled pictures of filters, feature maps, saliency and activation maximisation.</summary>
public class InsightPictureTests
{
    private static readonly Rgb Black = new(0, 0, 0);

    [Fact]
    public void FeatureMaps_Draw_ScalesEachChannelByItself_AndMarksTheConstantOne()
    {
        // Channel 0 is 0, 1, 2, 4; channel 1 is 0 everywhere (a ReLU switched off).
        var output = new LayerOutput<double>(3, "ReLU()", TestTensors.Create([0.0, 1, 2, 4, 0, 0, 0, 0], 1, 2, 2, 2));
        var picture = FeatureMaps.Draw(output, zoom: 8, columns: 2);
        // Title "layer 3 · ReLU · 2×2×2": 22 characters, 137 wide with its margins, wider than the grid:
        // the column is as wide as "0 max 4" (41) + 2 = 43, so the grid is 2·(43 + 2) + 2 = 92 wide, pasted at (137 − 92)/2 = 22.
        picture.Width.Should().Be(22 * 6 - 1 + 6);
        TextInk.Shows(picture, 3, 3, "layer 3 · ReLU · 2×2×2", Black).Should().BeTrue();
        int left = 22 + 2 + (43 - 16) / 2, top = 13 + 2;
        picture.Get(left, top).Should().Be(Rgb.Grey(0), "0 is channel 0's minimum");
        picture.Get(left + 8, top + 8).Should().Be(Rgb.Grey(255), "4 is its own maximum, white");
        picture.Get(left, top + 8).Should().Be(Rgb.Grey(128), "2 is half way");
        TextInk.Shows(picture, 22 + 2 + 1, top + 16 + 2, "0 max 4", Black).Should().BeTrue();
        // Channel 1's cell is 16 wide: "constant 0" does not fit, "=0" (11 wide) does, white on mid grey.
        int left1 = 22 + 2 + 45 + (43 - 16) / 2;
        TextInk.Shows(picture, left1 + (16 - 11) / 2, top + (16 - 7) / 2, "=0", Rgb.Grey(255)).Should().BeTrue();
    }

    [Fact]
    public void FeatureMaps_ChannelMaxima_FindTheChannelNoInputSwitchesOn()
    {
        // Channel 1's filter is all −1 with bias −1: after the ReLU it is 0 for any non-negative input.
        var conv = new Conv2D<double>(1, 2, kernel: 1, seed: 1);
        conv.Weight.SetValue([1.0, -1.0]);
        conv.Bias!.SetValue([0.0, -1.0]);
        var network = new Sequential<double>([1, 2, 2], conv, new ReLU<double>());
        var inputs = TestTensors.Create([0.0, 1, 2, 3, 4, 0, 0, 5], 2, 1, 2, 2);
        FeatureMaps.ChannelMaxima(network, 1, inputs).Should().Equal(5.0, 0.0);
    }

    [Fact]
    public void FeatureMaps_Draw_NotOneSample_Throws()
    {
        var output = new LayerOutput<double>(0, "Conv2D()", TestTensors.Random<double>(1, 2, 1, 2, 2));
        FluentActions.Invoking(() => FeatureMaps.Draw(output)).Should().Throw<ArgumentException>().WithMessage("*layer 0 gave [2, 1, 2, 2]*");
    }

    [Fact]
    public void Filters_Draw_TitleLabelsAndBar()
    {
        var conv = new Conv2D<double>(1, 4, kernel: 3, seed: 1);
        var picture = Filters.Draw(conv, zoom: 4, title: "T");
        // 2×2 grid of 12-pixel cells, spacing 2, labels 10 high: 2·14 + 2 = 30 wide, 2·(22 + 2) + 2 = 50 high, and 13 for the title.
        int barNumbersWidth = Math.Max(Math.Max(Picture.MeasureText(ScaleText.Format(conv.Weight.ValueSpan.ToArray().Max(Math.Abs))).Width,
            Picture.MeasureText(ScaleText.Format(-conv.Weight.ValueSpan.ToArray().Max(Math.Abs))).Width), Picture.MeasureText("0").Width);
        (picture.Width, picture.Height).Should().Be((30 + 12 + 4 + barNumbersWidth + 2, 50 + 13));
        TextInk.Shows(picture, 2 + (12 - 5) / 2, 13 + 2 + 12 + 24 + 2, "2", Black).Should().BeTrue("filter 2 opens the second row");
    }

    [Fact]
    public void Saliency_Draw_TitleNamesThePredictedClassAndItsProbability()
    {
        var dense = new Dense<double>(4, 2, seed: 3);
        dense.Weight.SetValue([1.0, 1, 1, 1, -1, -1, -1, -1]);
        dense.Bias!.SetValue([0.0, 0]);
        var network = new Sequential<double>([1, 2, 2], new Flatten<double>(), dense);
        var image = TestTensors.Create([0.25, 0.25, 0.25, 0.25], 1, 1, 2, 2);
        // Scores (1, −1): class "up" with probability 1/(1 + e^−2) = 0.881.
        var picture = Saliency.Draw(network, image, ["up", "down"], trueClass: 1, zoom: 4);
        string title = "predicted up, p = 0.881 (true: down)";
        TextInk.Shows(picture, (picture.Width - Picture.MeasureText(title).Width) / 2, 3, title, Black).Should().BeTrue();

        FluentActions.Invoking(() => Saliency.Draw(network, image, ["only"])).Should().Throw<ArgumentException>().WithMessage("*2 classes but 1 class names*");
        FluentActions.Invoking(() => Saliency.Draw(network, TestTensors.Random<double>(1, 2, 1, 2, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*[1, 1, H, W]*[2, 1, 2, 2]*");
    }

    [Fact]
    public void ActivationMaximization_DrawClasses_OnePanelPerClassLabelledWithItsName()
    {
        var network = Network.Sequential<double>(1, 8, 8).Conv2D(3, kernel: 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(4).Build(seed: 11);
        var picture = ActivationMaximization.DrawClasses(network, ["a", "b", "c", "d"], new ActivationMaximizationOptions { Steps = 5 }, zoom: 4, columns: 2);
        // Cells 32, labels 10: grid 2·34 + 2 = 70 by 2·44 + 2 = 90; the title (48 characters, 287 + 6 wide) adds 13 and sets the width.
        (picture.Width, picture.Height).Should().Be((293, 103));
        TextInk.Shows(picture, (293 - 70) / 2 + 36 + 13, 13 + 46 + 32 + 2, "d", Black).Should().BeTrue();
        FluentActions.Invoking(() => ActivationMaximization.DrawClasses(network, ["a", "b"]))
            .Should().Throw<ArgumentException>().WithMessage("*outputs [4] but 2 class names*");
    }
}
