using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class SequentialSummaryTests
{
    [Fact]
    public void Summary_SmallCnn_ListsShapesCountsAndTotals()
    {
        var network = Network.Sequential<float>([1, 28, 28]).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2).Flatten().Dense(10).Build(seed: 1);

        string summary = network.Summary();

        // Conv2D: 6·1·5·5 + 6 = 156; Dense: 10·1176 + 10 = 11,770; together 11,926 floats = 47,704 bytes.
        // Activations per sample: 4704 + 4704 + 1176 + 1176 + 10 = 11,770 values = 47,080 bytes.
        var lines = summary.Split(Environment.NewLine);
        lines[0].Should().Be("Sequential<Single>, input [1, 28, 28]");
        lines[2].Should().MatchRegex(@"^#\s+Layer\s+Output shape\s+Parameters\s+Trainable$");
        lines[4].Should().MatchRegex(@"^0\s+Conv2D.*\[N, 6, 28, 28\]\s+156\s+156$");
        lines[8].Should().MatchRegex(@"^4\s+Dense\(1176 → 10\)\s+\[N, 10\]\s+11,770\s+11,770$");
        lines[^4].Should().Be("Total parameters: 11,926 (46.6 KiB)");
        lines[^3].Should().Be("Trainable parameters: 11,926 (46.6 KiB)");
        lines[^2].Should().Be("Non-trainable parameters: 0 (0 B)");
        lines[^1].Should().Be("Activations per sample: 11,770 values (46.0 KiB)");
    }

    [Fact]
    public void Summary_Columns_AreAligned()
    {
        var network = Network.Sequential<double>(784).Dense(128).ReLU().Dense(10).Build(seed: 1);

        var rows = network.Summary().Split(Environment.NewLine).Skip(2).Take(5).Where(l => !l.StartsWith('-')).ToArray();

        // Right-aligned count columns end at the same place; the shape column starts at the same place.
        int shapeColumn = rows[0].IndexOf("Output shape", StringComparison.Ordinal);
        rows.Skip(1).Should().AllSatisfy(row => row[shapeColumn].Should().Be('['));
        rows.Select(row => row.Length).Distinct().Should().ContainSingle();
        rows[1].Should().Contain("100,480").And.Contain("[N, 128]");
        network.Summary().Should().Contain("Total parameters: 101,770 (795.1 KiB)");
    }

    [Fact]
    public void Summary_AnyCulture_SameText()
    {
        var network = Network.Sequential<float>(300).Dense(1000).Build(seed: 1);
        var saved = CultureInfo.CurrentCulture;
        string invariant = network.Summary();
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            network.Summary().Should().Be(invariant);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        invariant.Should().Contain("301,000 (1.1 MiB)");
    }

    [Fact]
    public void Summary_WithoutInputShape_ShowsUnknownShapes()
    {
        var network = new Sequential<double>(new Dense<double>(3, 2, seed: 1), new ReLU<double>());

        string summary = network.Summary();

        summary.Should().Contain("Total parameters: 8 (64 B)");
        summary.Split(Environment.NewLine)[4].Should().MatchRegex(@"^0\s+Dense\(3 → 2\)\s+\?\s+8\s+8$");
        summary.Should().EndWith("Activations per sample: ? (built without an input shape)");
    }
}
