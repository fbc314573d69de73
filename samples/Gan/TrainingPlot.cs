using ScottPlot;

namespace NeuralNets.Samples.Gan;

/// <summary>Both losses and the discriminator's accuracy per epoch, drawn with ScottPlot (the sample's dependency only).</summary>
public static class TrainingPlot
{
    /// <summary>Saves the plot as a PNG: losses on the left axis, accuracy on the right with 0.5 (a fooled discriminator) marked.</summary>
    public static void Save(IReadOnlyList<GanEpoch> history, string title, string path)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        void Line(double[] ys, string name, int color, bool right)
        {
            var line = plot.Add.Scatter(epochs, ys, palette.GetColor(color));
            line.LegendText = name;
            line.MarkerSize = history.Count > 60 ? 0 : 4;
            line.LineWidth = 2;
            if (right) line.Axes.YAxis = plot.Axes.Right;
        }
        Line(history.Select(h => h.DiscriminatorLoss).ToArray(), "discriminator loss", 0, right: false);
        Line(history.Select(h => h.GeneratorLoss).ToArray(), "generator loss", 1, right: false);
        Line(history.Select(h => h.DiscriminatorAccuracy).ToArray(), "discriminator accuracy (right axis)", 2, right: true);
        var fooled = plot.Add.HorizontalLine(0.5, 1.5f, palette.GetColor(2), LinePattern.Dashed);
        fooled.Axes.YAxis = plot.Axes.Right;
        fooled.LegendText = "accuracy 0.5: fooled";
        plot.Axes.Right.Min = 0;
        plot.Axes.Right.Max = 1;
        plot.Axes.Right.Label.Text = "discriminator accuracy";
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss (mean over the epoch)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }
}
