using NeuralNets.Diagnostics;

namespace NeuralNets.Tests.Diagnostics;

public class PictureTextTests
{
    private static readonly Rgb Black = new(0, 0, 0);
    private static readonly Rgb White = Rgb.Grey(255);

    [Fact]
    public void DrawText_LetterT_InksTheTopRowAndTheStemOnly()
    {
        var picture = new Picture(7, 9);
        picture.DrawText(1, 1, "T", Black);
        for (int x = 1; x <= 5; x++) picture.Get(x, 1).Should().Be(Black, "T's bar spans the glyph's five columns");
        for (int y = 2; y <= 7; y++)
        {
            picture.Get(3, y).Should().Be(Black, "the stem is the middle column");
            picture.Get(1, y).Should().Be(White);
            picture.Get(5, y).Should().Be(White);
        }
        picture.Get(0, 0).Should().Be(White, "nothing is drawn outside the glyph");
    }

    [Fact]
    public void DrawText_Scale2_EachFontPixelIsATwoByTwoBlock()
    {
        var picture = new Picture(12, 16);
        picture.DrawText(0, 0, "T", Black, scale: 2);
        picture.Get(9, 1).Should().Be(Black, "the bar's last pixel covers columns 8–9, rows 0–1");
        picture.Get(10, 0).Should().Be(White);
        picture.Get(4, 13).Should().Be(Black, "the stem's bottom covers columns 4–5, rows 12–13");
        picture.Get(4, 14).Should().Be(White);
    }

    [Fact]
    public void DrawText_UnknownCharacter_DrawsAHollowBoxNotNothing()
    {
        var picture = new Picture(5, 7);
        picture.DrawText(0, 0, "\u4e2d", Black);
        picture.Get(0, 0).Should().Be(Black);
        picture.Get(4, 6).Should().Be(Black);
        picture.Get(2, 3).Should().Be(White, "the box is hollow");
    }

    [Fact]
    public void DrawText_NewLine_StartsBelowAtTheSameLeftEdge()
    {
        var picture = new Picture(20, 20);
        picture.DrawText(2, 0, "-\n-", Black);
        picture.Get(2, 3).Should().Be(Black, "the first dash is on the glyph's middle row");
        picture.Get(2, 3 + 9).Should().Be(Black, "the second line is one line height lower");
    }

    [Fact]
    public void DrawText_RunningOffTheEdge_IsClippedNotAnError()
    {
        var picture = new Picture(4, 4);
        var draw = () => picture.DrawText(-3, -3, "WWW", Black, scale: 3);
        draw.Should().NotThrow();
    }

    [Fact]
    public void MeasureText_WidestLineAndLineCount()
    {
        Picture.MeasureText("ab").Should().Be((11, 7));
        Picture.MeasureText("abc\nd", scale: 2).Should().Be((34, 32));
        Picture.MeasureText("").Should().Be((0, 0));
    }

    [Fact]
    public void WithTitle_AddsABandAboveAndKeepsThePictureBelow()
    {
        var image = new Picture(40, 10);
        image.Fill(0, 0, 40, 10, new Rgb(10, 20, 30));
        var titled = image.WithTitle("ε = 0.1");
        titled.Width.Should().Be(47, "the 7-character title (41 pixels) and its margins are wider than the picture");
        titled.Height.Should().Be(10 + 7 + 6);
        titled.Get(4, 13).Should().Be(new Rgb(10, 20, 30), "the picture is centred under the band");
        Enumerable.Range(0, 47).SelectMany(x => Enumerable.Range(0, 13).Select(y => titled.Get(x, y)))
            .Should().Contain(Black, "the title is drawn in the band");
        image.Height.Should().Be(10, "the original is not changed");
    }

    [Fact]
    public void Paste_ClipsToTheTarget()
    {
        var target = new Picture(3, 3);
        var source = new Picture(2, 2);
        source.Fill(0, 0, 2, 2, Black);
        target.Paste(source, 2, 2);
        target.Get(2, 2).Should().Be(Black);
        target.Get(1, 1).Should().Be(White);
    }

    [Theory]
    [InlineData("accuracy vs ε: 0.93 → 0.12 (σ², ×2, ≥ 80%)")]
    [InlineData("max |x′−x| ± ∇ γ ρ Σ ∞ … y₁ y₂ ←")]
    [InlineData("0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz")]
    public void Font_HasAGlyphForEveryCharacterCaptionsUse(string caption)
    {
        var picture = new Picture(Picture.MeasureText(caption).Width, 7);
        var box = new Picture(5, 7);
        box.DrawText(0, 0, "\u4e2d", Black);
        picture.DrawText(0, 0, caption, Black);
        for (int i = 0; i < caption.Length; i++)
        {
            if (caption[i] == ' ') continue;
            bool same = true;
            for (int y = 0; y < 7; y++)
                for (int x = 0; x < 5; x++) same &= picture.Get(i * 6 + x, y) == box.Get(x, y);
            same.Should().BeFalse($"'{caption[i]}' should have a glyph of its own, not the missing-glyph box");
        }
    }
}
