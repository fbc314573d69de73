using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

public class ImageGridTests
{
    private static readonly Rgb Black = new(0, 0, 0);

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
    public void Draw_DivergingWithColorBar_BarRunsRedToBlueWithItsValuesBeside()
    {
        var images = TestTensors.Create([-2.0, 0, 1, 2], 1, 2, 2);
        var picture = ImageGrid.Draw(images, new ImageGridOptions { Spacing = 1, Zoom = 2, Diverging = true, ColorBar = true });
        // Grid 1 + 4 + 1 = 6 wide; bar 12, gap 4, the widest number "-2" 2·6 − 1 = 11, margin 2. The bar is at least
        // three text lines (3·9 = 27) high, so the picture is 27 + 2 high.
        (picture.Width, picture.Height).Should().Be((6 + 12 + 4 + 11 + 2, 29));
        picture.Get(1, 1).Should().Be(DivergingColorMap.Map(-1));
        picture.Get(3, 1).Should().Be(Rgb.Grey(255));
        picture.Get(6, 1).Should().Be(DivergingColorMap.Map(1), "the bar's top is the largest magnitude");
        picture.Get(6, 27).Should().Be(DivergingColorMap.Map(-1), "the bar's bottom is its negative");
        TextInk.Shows(picture, 22, 1, "2", Black).Should().BeTrue("the top value is written level with the bar's top");
        TextInk.Shows(picture, 22, 1 + 13 - 3, "0", Black).Should().BeTrue("the middle value, centred on the middle row");
        TextInk.Shows(picture, 22, 28 - 7, "-2", Black).Should().BeTrue("the bottom value ends on the bar's last row");
    }

    [Fact]
    public void Draw_IndexLabels_WriteEachIndexCentredUnderItsCell()
    {
        var images = TestTensors.Create([0.0, 1, 2, 3, 4, 5, 6, 7], 2, 2, 2);
        var picture = ImageGrid.Draw(images, new ImageGridOptions { Spacing = 1, Zoom = 4, Columns = 2, IndexLabels = true });
        // Cells 8 wide; label band 7 + 2 + 1 = 10 under each: 2·(8 + 1) + 1 = 19 by 8 + 10 + 2 = 20.
        (picture.Width, picture.Height).Should().Be((19, 20));
        TextInk.Shows(picture, 1 + 1, 1 + 8 + 2, "0", Black).Should().BeTrue();
        TextInk.Shows(picture, 10 + 1, 1 + 8 + 2, "1", Black).Should().BeTrue();
    }

    [Fact]
    public void Draw_LabelsAbove_PushTheImagesDownByTheLabelBand()
    {
        var images = TestTensors.Create([0.0, 1, 2, 3], 1, 2, 2);
        var picture = ImageGrid.Draw(images, new ImageGridOptions { Spacing = 1, Zoom = 4, Labels = ["a"], LabelPlacement = LabelPlacement.Above });
        picture.Get(1, 1 + 10).Should().Be(Rgb.Grey(0), "the image starts under the 10-pixel label band");
        TextInk.Shows(picture, 1 + 1, 1 + 1, "a", Black).Should().BeTrue();
    }

    [Fact]
    public void Draw_Title_AddsABandWithTheTitleCentred()
    {
        var images = TestTensors.Create([0.0, 1, 2, 3], 1, 2, 2);
        var untitled = ImageGrid.Draw(images, new ImageGridOptions { Zoom = 20 });
        var titled = ImageGrid.Draw(images, new ImageGridOptions { Zoom = 20, Title = "AB" });
        // "AB" is 11 wide and 7 high; the band is 7 + 2·3 high.
        (titled.Width, titled.Height).Should().Be((untitled.Width, untitled.Height + 13));
        TextInk.Shows(titled, (titled.Width - 11) / 2, 3, "AB", Black).Should().BeTrue();
        titled.Get(2, 13 + 2).Should().Be(untitled.Get(2, 2), "the grid sits under the band");
    }

    [Fact]
    public void Draw_ConstantImage_IsMarkedWithItsValue_UnlessTurnedOff()
    {
        var zeros = TestTensors.Create(new double[144], 1, 1, 12, 12);
        // One value everywhere: the scale collapses and the cell is mid grey (128), so the text is white.
        var marked = ImageGrid.Draw(zeros, new ImageGridOptions { Zoom = 8 });
        marked.Get(3, 3).Should().Be(Rgb.Grey(128));
        // Cell 96 wide from (2, 2); "constant 0" is 59 wide, 7 high.
        TextInk.Shows(marked, 2 + (96 - 59) / 2, 2 + (96 - 7) / 2, "constant 0", Rgb.Grey(255)).Should().BeTrue();
        var plain = ImageGrid.Draw(zeros, new ImageGridOptions { Zoom = 8, MarkConstantImages = false });
        plain.Pixels.ToArray().Where((_, i) => i % 3 == 0).Distinct().Should().BeEquivalentTo(new byte[] { 255, 128 });
    }

    [Fact]
    public void Draw_LabelCountNotTheImageCount_ThrowsNamingBoth()
    {
        var act = () => ImageGrid.Draw(TestTensors.Random<double>(1, 2, 3, 3), new ImageGridOptions { Labels = ["a", "b", "c"] });
        act.Should().Throw<ArgumentException>().WithMessage("*2 images but 3 labels*");
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

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.36312, "0.363")]
    [InlineData(-2.0, "-2")]
    [InlineData(1234.5, "1235")]
    [InlineData(123456.0, "1.23E+5")]
    [InlineData(0.0000131, "1.31E-5")]
    public void ScaleText_ThreeSignificantDigits_InvariantCulture(double value, string expected) =>
        ScaleText.Format(value).Should().Be(expected);
}
