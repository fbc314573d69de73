using NeuralNets;
using NeuralNets.Optimizers;
using ScottPlot;

/// <summary>The two pictures, drawn with ScottPlot (the sample's dependency only, never the library's).</summary>
internal static class Plots
{
    /// <summary>Training loss per epoch of every optimizer, on a log scale.</summary>
    public static void LossCurves(IReadOnlyList<(string Name, double[] Loss)> curves, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var (name, loss) = curves[i];
            double[] epochs = Enumerable.Range(1, loss.Length).Select(e => (double)e).ToArray();
            double[] logLoss = loss.Select(Math.Log10).ToArray();
            var line = plot.Add.Scatter(epochs, logLoss, palette.GetColor(i));
            line.LegendText = name;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Title("Two spirals: training loss per epoch");
        plot.XLabel("epoch");
        plot.YLabel("log10(mean training loss)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 650);
    }

    /// <summary>
    /// The paths of SGD, Momentum, Nesterov, Adam, RmsProp and L-BFGS on the ravine, over its contour lines. SGD and
    /// Momentum move equally fast along the floor (η = 0.19 against η/(1 − γ) = 0.2); only SGD zig-zags across it.
    /// </summary>
    public static void RavinePaths(string path)
    {
        const int Steps = 40;
        var plot = new Plot();
        foreach (double level in new[] { 0.25, 1, 2.5, 5, 8.1, 12 })
        {
            var (cx, cy) = Ravine.Contour(level);
            var contour = plot.Add.Scatter(cx, cy, Colors.LightGray);
            contour.MarkerSize = 0;
            contour.LineWidth = 1;
        }

        var palette = new ScottPlot.Palettes.Category10();
        (string Name, Func<Parameter<double>[], IOptimizer<double>> Create)[] racers =
        [
            ("Sgd (η = 0.19)", p => new Sgd<double>(p, 0.19)),
            ("Momentum (η = 0.1, γ = 0.5)", p => new Momentum<double>(p, 0.1, 0.5)),
            ("Nesterov (η = 0.04, γ = 0.9)", p => new Nesterov<double>(p, 0.04, 0.9)),
            ("RmsProp (η = 0.3)", p => new RmsProp<double>(p, 0.3)),
            ("Adam (η = 0.5)", p => new Adam<double>(p, 0.5)),
            ("Lbfgs", p => new Lbfgs<double>(p, maxIterations: 1, maxEvaluations: 25)),
        ];
        for (int i = 0; i < racers.Length; i++)
        {
            var (xs, ys) = Ravine.Path(racers[i].Create, Steps);
            var line = plot.Add.Scatter(xs, ys, palette.GetColor(i));
            line.LegendText = racers[i].Name;
            line.MarkerSize = 4;
            line.LineWidth = 1.5f;
        }
        var minimum = plot.Add.Marker(0, 0, MarkerShape.Cross, 12, Colors.Black);
        minimum.LegendText = "minimum";

        plot.Title($"Narrow ravine f = ½(0.2x² + 10y²): {Steps} steps from (−9, 1.5)");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SetLimits(-10, 2, -2.2, 2.2);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1100, 600);
    }
}
