using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

public class ImageGridTests
{
    [Fact]
    public void Draw_TwoImagesSharedScale_PlacesCellsWithSpacingAndGreyLevels()
    {
        // Two 2×2 images side by side with 1 pixel of spacing: 2·(2 + 1) + 1 = 7 wide, 2 + 2 = 4 high.
        var images = TestTensors.Create([0.0, 1, 2, 3, 4, 5, 6, 8], 2, 1, 2, 2);
        var picture = ImageGrid.Draw(images, new ImageGridOptions { Spacing = 1, Columns = 2 });
        (picture.Width, picture.Height).Should().Be((7, 4));
        picture.Get(0, 0).Should().Be(Rgb.Grey(255), "spacing is white");
        picture.Get(1, 1).Should().Be(Rgb.Grey(0), "the batch's minimum is black");
        picture.Get(5, 2).Should().Be(Rgb.Grey(255), "the batch's maximum is white");
        picture.Get(2, 1).Should().Be(Rgb.Grey(32), "1 of 0..8 is 255/8 rounded");
    }

    [Fact]
    public void Draw_DivergingWithColorBar_ZeroIsWhiteAndBarRunsRedToBlue()
    {
        var images = TestTensors.Create([-2.0, 0, 1, 2], 1, 2, 2);
        var picture = ImageGrid.Draw(images, new ImageGridOptions { Spacing = 1, Zoom = 2, Diverging = true, ColorBar = true });
        // Grid 1 + 4 + 1 = 6 wide, bar 12 + 1 more.
        (picture.Width, picture.Height).Should().Be((6 + 13, 6));
        picture.Get(1, 1).Should().Be(DivergingColorMap.Map(-1));
        picture.Get(3, 1).Should().Be(Rgb.Grey(255));
        picture.Get(6, 1).Should().Be(DivergingColorMap.Map(1), "the bar's top is the largest magnitude");
        picture.Get(6, 4).Should().Be(DivergingColorMap.Map(-1), "the bar's bottom is its negative");
    }

    [Fact]
    public void DivergingColorMap_EndsAndMiddle()
    {
        DivergingColorMap.Map(0).Should().Be(new Rgb(255, 255, 255));
        DivergingColorMap.Map(1).Should().Be(new Rgb(178, 24, 43));
        DivergingColorMap.Map(-5).Should().Be(new Rgb(33, 102, 172));
        DivergingColorMap.Map(0.5).Should().Be(new Rgb(217, 140, 149));
    }

    [Fact]
    public void Draw_WrongShape_ThrowsNamingIt()
    {
        var act = () => ImageGrid.Draw(TestTensors.Random<double>(1, 2, 2, 3, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*[2, 2, 3, 3]*");
    }
}
