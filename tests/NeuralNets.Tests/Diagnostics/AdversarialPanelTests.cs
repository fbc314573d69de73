using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

public class AdversarialPanelTests
{
    private static readonly Rgb Black = new(0, 0, 0), White = Rgb.Grey(255), Red = new(178, 24, 43);
    private static readonly string[] Classes = ["cat", "dog", "owl"];

    /// <summary>
    /// 2×2 images into three logits: z = (0, ln 2 + w·x₀, ln 5) with w = 2·ln 7.5. A black image gives softmax (1, 2, 5)/8:
    /// owl at 62.5 %; x₀ = 0.5 gives (1, 15, 5)/21: dog at 71.4 %.
    /// </summary>
    private static Sequential<double> HandSetNetwork()
    {
        var network = Network.Sequential<double>(4).Dense(3).Build(seed: 1);
        var dense = (Dense<double>)network.Layers[0];
        dense.Weight.SetValue(new double[] { 0, 0, 0, 0, 2 * Math.Log(7.5), 0, 0, 0, 0, 0, 0, 0 });
        dense.Bias!.SetValue(new[] { 0, Math.Log(2), Math.Log(5) });
        return network;
    }

    [Fact]
    public void Draw_TwoExamples_HasTheLayoutsSizeCaptionsAndColours()
    {
        var clean = TestTensors.Create(new double[8], 2, 4);
        var adversarial = TestTensors.Create(new[] { 0.5, 0, 0, 0, 0, 0, 0, 0 }, 2, 4);

        var panel = AdversarialPanel.Draw(HandSetNetwork(), clean, adversarial, Classes, new AdversarialPanelOptions { Zoom = 10 });

        // Cells as wide as the widest text, "perturbation" (12 characters × 6 − 1 = 71 px, wider than the 20 px images);
        // width 6 + 3·71 + 2·8 + 6; height: 6 margin + 7 header + 3, two rows of 20 image + 3 + 16 caption, 8 between, 6 margin.
        (panel.Width, panel.Height).Should().Be((241, 108));
        Find(panel, "original", Black).Should().Be(1);
        Find(panel, "perturbation", Black).Should().Be(1);
        Find(panel, "adversarial", Black).Should().Be(1);
        Find(panel, "owl", Black).Should().Be(3, "both originals, and the second row's unchanged forgery, are read as owls");
        Find(panel, "62.5%", Black).Should().Be(3);
        Find(panel, "dog", Red).Should().Be(1, "the first forgery is read as a dog, in red since the class changed");
        Find(panel, "71.4%", Red).Should().Be(1);
        Find(panel, "0.500", Black).Should().Be(2, "the largest change, under each perturbation");

        // First row: images start at y = 16; the original's top-left pixel is black, the forgery's grey 0.5, the perturbation full red.
        int imageLeft(int column) => 6 + column * (71 + 8) + (71 - 20) / 2;
        panel.Get(imageLeft(0) + 5, 21).Should().Be(Black);
        panel.Get(imageLeft(1) + 5, 21).Should().Be(Red);
        panel.Get(imageLeft(1) + 15, 21).Should().Be(White, "unchanged pixels are white in the perturbation");
        panel.Get(imageLeft(2) + 5, 21).Should().Be(Rgb.Grey(128));
    }

    [Fact]
    public void Draw_WithTitle_AddsABandAbove()
    {
        var clean = TestTensors.Create(new double[4], 1, 4);
        var plain = AdversarialPanel.Draw(HandSetNetwork(), clean, clean, Classes);
        var titled = AdversarialPanel.Draw(HandSetNetwork(), clean, clean, Classes, new AdversarialPanelOptions { Title = "FGSM" });
        titled.Height.Should().Be(plain.Height + 7 * 2 + 2 * 6, "a scale-2 title band: 14 px of text and 6 px above and below");
    }

    [Fact]
    public void Draw_ClassNamesNotMatchingTheOutputs_SaysBoth()
    {
        var clean = TestTensors.Create(new double[4], 1, 4);
        var act = () => AdversarialPanel.Draw(HandSetNetwork(), clean, clean, ["cat", "dog"]);
        act.Should().Throw<ArgumentException>().WithMessage("*[1, 3]*2 class names*");
    }

    [Fact]
    public void Draw_ShapesDiffer_SaysBoth()
    {
        var act = () => AdversarialPanel.Draw(HandSetNetwork(), TestTensors.Create(new double[4], 1, 4), TestTensors.Create(new double[8], 2, 4), Classes);
        act.Should().Throw<ArgumentException>().WithMessage("*[2, 4]*[1, 4]*");
    }

    [Fact]
    public void Draw_FlatNonSquareWithoutImageSize_AsksForIt()
    {
        var network = Network.Sequential<double>(6).Dense(3).Build(seed: 1);
        var x = TestTensors.Create(new double[6], 1, 6);
        var act = () => AdversarialPanel.Draw(network, x, x, Classes);
        act.Should().Throw<ArgumentException>().WithMessage("*ImageSize*[1, 6]*");
        AdversarialPanel.Draw(network, x, x, Classes, new AdversarialPanelOptions { ImageSize = (2, 3), Zoom = 1 }).Width.Should().BeGreaterThan(0);
    }

    /// <summary>How many times <paramref name="text"/> appears drawn in <paramref name="color"/> on white.</summary>
    private static int Find(Picture picture, string text, Rgb color)
    {
        var (w, h) = Picture.MeasureText(text);
        var template = new Picture(w, h);
        template.DrawText(0, 0, text, Black);
        int found = 0;
        for (int oy = 0; oy + h <= picture.Height; oy++)
            for (int ox = 0; ox + w <= picture.Width; ox++)
                if (Matches(picture, template, ox, oy, color)) found++;
        return found;
    }

    private static bool Matches(Picture picture, Picture template, int ox, int oy, Rgb color)
    {
        for (int y = 0; y < template.Height; y++)
            for (int x = 0; x < template.Width; x++)
                if (picture.Get(ox + x, oy + y) != (template.Get(x, y) == Black ? color : White)) return false;
        return true;
    }
}
