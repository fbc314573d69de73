using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Diagnostics;

/// <summary>
/// Decision regions of a classifier with two inputs, the console counterpart of the playground: the class each point of a
/// rectangle gets, in light colours whose strength is the probability, the boundary between regions (for one sigmoid output,
/// the 0.5 contour), training points as discs and test points as crosses in their true class's colour, axes with values, a title.
/// </summary>
/// <remarks>
/// Works on any <see cref="Sequential{T}"/> with 2 inputs and k outputs: k = 1 is read as the logit of class 1 (or its
/// probability, after a Sigmoid layer), k ≥ 2 as class scores (softmaxed unless the network ends in Softmax), as
/// <see cref="SequentialPredictions.PredictProbabilities{T}(Sequential{T}, Tensor{T})"/> does.
/// </remarks>
public static class DecisionBoundary
{
    private const int EvaluationChunk = 8192;
    private static readonly Rgb Ink = new(0, 0, 0);
    private static readonly Rgb BoundaryInk = new(40, 40, 40);

    /// <summary>Strong colours per class (the markers); the regions use lighter blends of them. Cycles after ten classes.</summary>
    public static IReadOnlyList<Rgb> ClassColors { get; } =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>The colour of class <paramref name="c"/>.</summary>
    /// <param name="c">The class, 0 or more.</param>
    public static Rgb ClassColor(int c)
    {
        ArgumentRange.ThrowIfNegative(c);
        return ClassColors[c % ClassColors.Count];
    }

    /// <summary>
    /// The colour of a region where class <paramref name="c"/> wins with probability <paramref name="probability"/> among
    /// <paramref name="classes"/>: white blended toward the class colour, faintly at a tie (1/k) and at most 55 % at certainty.
    /// </summary>
    /// <param name="c">The winning class.</param>
    /// <param name="probability">Its probability.</param>
    /// <param name="classes">How many classes compete (2 for a sigmoid output).</param>
    public static Rgb RegionColor(int c, double probability, int classes)
    {
        ArgumentRange.ThrowIfLessThan(classes, 2);
        double confidence = Math.Clamp((probability - 1.0 / classes) / (1 - 1.0 / classes), 0, 1);
        double strength = 0.12 + 0.43 * confidence;
        var color = ClassColor(c);
        static byte Blend(byte end, double a) => (byte)Math.Round(255 + (end - 255) * a, MidpointRounding.AwayFromZero);
        return new Rgb(Blend(color.R, strength), Blend(color.G, strength), Blend(color.B, strength));
    }

    /// <summary>The network's class probabilities at the centres of a <paramref name="columns"/>×<paramref name="rows"/> grid over <paramref name="region"/>.</summary>
    /// <param name="network">A classifier with 2 inputs.</param>
    /// <param name="region">The rectangle.</param>
    /// <param name="columns">Cells across, at least 1.</param>
    /// <param name="rows">Cells down, at least 1.</param>
    /// <typeparam name="T">The element type.</typeparam>
    public static DecisionMap Evaluate<T>(Sequential<T> network, PlaneRegion region, int columns, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentRange.ThrowIfNegativeOrZero(columns);
        ArgumentRange.ThrowIfNegativeOrZero(rows);
        region.Validate();
        CheckTwoInputs(network);
        int cells = columns * rows, classes = 0;
        double[] probabilities = [];
        var empty = new DecisionMap(region, columns, rows, 1, []);
        var points = new T[Math.Min(cells, EvaluationChunk) * 2];
        for (int start = 0; start < cells; start += EvaluationChunk)
        {
            int count = Math.Min(EvaluationChunk, cells - start);
            for (int i = 0; i < count; i++)
            {
                var (x, y) = empty.PointAt((start + i) % columns, (start + i) / columns);
                (points[2 * i], points[2 * i + 1]) = (T.CreateChecked(x), T.CreateChecked(y));
            }
            var output = network.PredictProbabilities(TensorMemory.Wrap(points, [count, 2]));
            ReadOnlySpan<T> p = output.Span();
            int outputs = p.Length / count;
            if (classes == 0)
            {
                classes = Math.Max(2, outputs);
                probabilities = new double[cells * classes];
            }
            for (int i = 0; i < count; i++)
            {
                var cell = probabilities.AsSpan((start + i) * classes, classes);
                if (outputs == 1)
                {
                    double one = double.CreateChecked(p[i]);
                    (cell[0], cell[1]) = (1 - one, one);
                }
                else
                    for (int c = 0; c < classes; c++) cell[c] = double.CreateChecked(p[i * outputs + c]);
            }
        }
        return new DecisionMap(region, columns, rows, classes, probabilities);
    }

    /// <summary>Draws the decision regions of <paramref name="network"/> with the training and test points over them.</summary>
    /// <param name="network">A classifier with 2 inputs.</param>
    /// <param name="train">Training points, drawn as discs; may be null.</param>
    /// <param name="test">Test points, drawn as crosses; may be null.</param>
    /// <param name="options">Size, region, title; defaults when null.</param>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The picture with the map behind it and the plane-to-pixel mapping.</returns>
    public static DecisionPlot Draw<T>(Sequential<T> network, Dataset<T>? train, Dataset<T>? test, DecisionBoundaryOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new DecisionBoundaryOptions();
        ArgumentRange.ThrowIfNegativeOrZero(options.Width, "options.Width");
        ArgumentRange.ThrowIfNegativeOrZero(options.Height, "options.Height");
        ArgumentRange.ThrowIfNegativeOrZero(options.TextScale, "options.TextScale");
        CheckPoints(train, nameof(train));
        CheckPoints(test, nameof(test));
        var region = options.Region ?? (train is null && test is null
            ? throw new ArgumentException("Give a region, or points to take it around.", nameof(options))
            : PlaneRegion.Around(0.1, train, test));
        var map = Evaluate(network, region, options.Width, options.Height);
        if (options.ClassNames is { } names && names.Count != map.Classes)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The network has {map.Classes} classes but {names.Count} class names were given."), nameof(options));

        int s = options.TextScale, glyphH = Picture.MeasureText("0", s).Height;
        var xTicks = AxisTicks.For(region.XMin, region.XMax);
        var yTicks = AxisTicks.For(region.YMin, region.YMax);
        int plotLeft = yTicks.Max(t => Picture.MeasureText(t.Label, s).Width) + 8, plotTop = glyphH / 2 + 2;
        int plotBottom = plotTop + options.Height, legendTop = plotBottom + 6 + glyphH + 8;
        string[] classLabels = [.. Enumerable.Range(0, map.Classes).Select(c => options.ClassNames?[c] ?? c.ToString(CultureInfo.InvariantCulture))];
        int legendW = LegendWidth(classLabels, s);
        var picture = new Picture(Math.Max(plotLeft + options.Width + 12, plotLeft + legendW + 4), legendTop + glyphH + 6);

        for (int row = 0; row < map.Rows; row++)
            for (int column = 0; column < map.Columns; column++)
            {
                int c = map.ClassAt(column, row);
                bool edge = (column + 1 < map.Columns && map.ClassAt(column + 1, row) != c) || (row + 1 < map.Rows && map.ClassAt(column, row + 1) != c);
                picture.Set(plotLeft + column, plotTop + row, edge ? BoundaryInk : RegionColor(c, map.Probability(column, row, c), map.Classes));
            }
        DrawAxes(picture, plotLeft, plotTop, options.Width, options.Height, region, xTicks, yTicks, s);
        var plot = new DecisionPlot(picture, map, plotLeft, plotTop);
        DrawPoints(plot, train, Markers.Disc);
        DrawPoints(plot, test, Markers.Cross);
        DrawLegend(picture, plotLeft, legendTop, classLabels, s);
        if (string.IsNullOrEmpty(options.Title)) return plot;
        var titled = picture.WithTitle(options.Title, s);
        return new DecisionPlot(titled, map, plotLeft + (titled.Width - picture.Width) / 2, plotTop + titled.Height - picture.Height);
    }

    private static void DrawPoints<T>(DecisionPlot plot, Dataset<T>? points, Action<Picture, int, int, Rgb, Rgb> marker) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (points is null) return;
        ReadOnlySpan<T> features = points.Features.Span(), labels = points.Targets.Span();
        for (int i = 0; i < points.Count; i++)
        {
            var (x, y) = plot.PixelOf(double.CreateChecked(features[2 * i]), double.CreateChecked(features[2 * i + 1]));
            if (x < plot.PlotLeft || y < plot.PlotTop || x >= plot.PlotLeft + plot.Map.Columns || y >= plot.PlotTop + plot.Map.Rows) continue;
            marker(plot.Picture, x, y, ClassColor(int.CreateChecked(labels[i])), Ink);
        }
    }

    private static void DrawAxes(Picture picture, int left, int top, int width, int height, PlaneRegion region,
        (double Value, string Label)[] xTicks, (double Value, string Label)[] yTicks, int s)
    {
        int glyphH = Picture.MeasureText("0", s).Height;
        picture.Fill(left - 1, top - 1, width + 2, 1, Ink);
        picture.Fill(left - 1, top + height, width + 2, 1, Ink);
        picture.Fill(left - 1, top - 1, 1, height + 2, Ink);
        picture.Fill(left + width, top - 1, 1, height + 2, Ink);
        foreach (var (value, label) in xTicks)
        {
            int x = left + (int)Math.Floor((value - region.XMin) / (region.XMax - region.XMin) * width);
            picture.Fill(x, top + height + 1, 1, 3, Ink);
            picture.DrawText(x - Picture.MeasureText(label, s).Width / 2, top + height + 6, label, Ink, s);
        }
        foreach (var (value, label) in yTicks)
        {
            int y = top + (int)Math.Floor((region.YMax - value) / (region.YMax - region.YMin) * height);
            picture.Fill(left - 4, y, 3, 1, Ink);
            picture.DrawText(left - 6 - Picture.MeasureText(label, s).Width, y - glyphH / 2, label, Ink, s);
        }
    }

    // "● train  × test   ■ class 0  ■ class 1 …" in one line under the plot.
    private static int LegendWidth(string[] classLabels, int s) =>
        2 * (Markers.Radius * 2 + 6) + 9 + Picture.MeasureText("train", s).Width + Picture.MeasureText("test", s).Width + 16
        + classLabels.Sum(l => 14 + Picture.MeasureText(l, s).Width + 10);

    private static void DrawLegend(Picture picture, int left, int top, string[] classLabels, int s)
    {
        int glyphH = Picture.MeasureText("0", s).Height, middle = top + glyphH / 2, x = left + Markers.Radius + 1;
        var grey = Rgb.Grey(200);
        Markers.Disc(picture, x, middle, grey, Ink);
        x += Markers.Radius + 6;
        picture.DrawText(x, top, "train", Ink, s);
        x += Picture.MeasureText("train", s).Width + 14 + Markers.Radius;
        Markers.Cross(picture, x, middle, grey, Ink);
        x += Markers.Radius + 9;
        picture.DrawText(x, top, "test", Ink, s);
        x += Picture.MeasureText("test", s).Width + 16;
        for (int c = 0; c < classLabels.Length; c++)
        {
            picture.Fill(x, middle - 4, 9, 9, ClassColor(c));
            x += 14;
            picture.DrawText(x, top, classLabels[c], Ink, s);
            x += Picture.MeasureText(classLabels[c], s).Width + 10;
        }
    }

    private static void CheckTwoInputs<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.InputShape is { } shape && (shape.Count != 1 || shape[0] != 2))
            throw new ArgumentException($"A decision boundary in the plane needs a network with 2 inputs, but {network.Layers[0]} takes {TensorMemory.ShapeText(shape)}.", nameof(network));
    }

    private static void CheckPoints<T>(Dataset<T>? points, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (points is null) return;
        if (points.SampleSize != 2 || points.ClassCount is null)
            throw new ArgumentException($"Points to draw must be a classification set with 2 features, but it has samples of shape {TensorMemory.ShapeText(points.SampleShape)} and {(points.ClassCount is null ? "no class labels" : "class labels")}.", name);
    }
}
