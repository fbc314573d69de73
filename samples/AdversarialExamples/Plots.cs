using ScottPlot;

/// <summary>The sample's line plots, drawn with ScottPlot (the sample's dependency only, never the library's).</summary>
internal static class Plots
{
    /// <summary>Accuracy under FGSM against ε, one line per network (dashed for the adversarially trained ones).</summary>
    public static void AccuracyAgainstEpsilon(string title, double[] epsilons, IReadOnlyList<(string Name, double[] Accuracy, bool Dashed)> curves, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var (name, accuracy, dashed) = curves[i];
            var line = plot.Add.Scatter(epsilons, accuracy, palette.GetColor(dashed ? i - 1 : i));
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            if (!dashed) continue;
            line.LinePattern = LinePattern.Dashed;
            line.MarkerShape = MarkerShape.OpenSquare;  // the legend shows the marker, so the two kinds differ there too
        }
        plot.Title(title);
        plot.XLabel("ε (largest change of a pixel in [0, 1])");
        plot.YLabel("test accuracy under FGSM");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 600);
    }

    /// <summary>The logits of the true class y₁ and the wanted class y₂ over the targeted attack's iterations, per network.</summary>
    public static void TargetedTrace(string title, IReadOnlyList<(string Network, double[] TrueLogit, double[] WantedLogit)> traces, string trueName, string wantedName, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < traces.Count; i++)
        {
            var (network, trueLogit, wantedLogit) = traces[i];
            double[] steps = Enumerable.Range(0, trueLogit.Length).Select(k => (double)k).ToArray();
            var y1 = plot.Add.Scatter(steps, trueLogit, palette.GetColor(2 * i));
            y1.LegendText = $"{network}: y₁ ({trueName})";
            y1.LineWidth = 2;
            y1.MarkerSize = 0;
            var y2 = plot.Add.Scatter(steps, wantedLogit, palette.GetColor(2 * i + 1));
            y2.LegendText = $"{network}: y₂ ({wantedName})";
            y2.LineWidth = 2;
            y2.MarkerSize = 0;
            y2.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel("logit");
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 900, 600);
    }
}
