using System.Globalization;
using NeuralNets.Training.Metrics;
using Spectre.Console;

namespace NeuralNets.Samples;

/// <summary>The library's reports as Spectre.Console tables; classes are numbered so the confusion matrix fits 80 columns.</summary>
internal static class ReportTables
{
    /// <summary>Precision, recall, F1 and support per class, the macro and micro averages, and accuracy.</summary>
    public static Table PerClass(ClassificationReport report, string title)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }
            .AddColumn("#", c => c.RightAligned()).AddColumn("class")
            .AddColumn("precision", c => c.RightAligned()).AddColumn("recall", c => c.RightAligned())
            .AddColumn("F1", c => c.RightAligned()).AddColumn("support", c => c.RightAligned());
        for (int c = 0; c < report.ClassCount; c++)
            table.AddRow(Cell(c), Markup.Escape(report.ClassNames[c]), Cell(report.Precision(c)), Cell(report.Recall(c)), Cell(report.F1(c)), Cell(report.Support(c)));
        table.AddEmptyRow();
        table.AddRow("", "macro average", Cell(report.MacroPrecision), Cell(report.MacroRecall), Cell(report.MacroF1), Cell(report.Samples));
        table.AddRow("", "micro average", Cell(report.MicroPrecision), Cell(report.MicroRecall), Cell(report.MicroF1), Cell(report.Samples));
        string caption = string.Create(CultureInfo.InvariantCulture, $"accuracy {report.Accuracy:F4}");
        if (report.TopKAccuracy is double topK) caption += string.Create(CultureInfo.InvariantCulture, $", top-{report.TopK} {topK:F4}");
        caption += string.Create(CultureInfo.InvariantCulture, $", {report.Misclassified.Count} misclassified");
        return table.Caption(caption);
    }

    /// <summary>The confusion matrix: rows are the true classes, columns the predicted ones, both by number.</summary>
    public static Table Confusion(ClassificationReport report)
    {
        var table = new Table().AddColumn("#", c => c.RightAligned());
        for (int p = 0; p < report.ClassCount; p++) table.AddColumn(Cell(p), c => c.RightAligned());
        for (int a = 0; a < report.ClassCount; a++)
        {
            var row = new string[report.ClassCount + 1];
            row[0] = Cell(a);
            for (int p = 0; p < report.ClassCount; p++)
                row[p + 1] = a == p ? $"[bold]{Cell(report.Confusion(a, p))}[/]" : Cell(report.Confusion(a, p));
            table.AddRow(row);
        }
        return table;
    }

    /// <summary>Both tables, one after the other.</summary>
    public static void Show(ClassificationReport report, string title)
    {
        SampleConsole.Show(PerClass(report, title));
        // A title would wrap to the width of a small matrix, so the legend is a line of its own.
        SampleConsole.Line("confusion matrix (rows: true class, columns: predicted class, numbered as above):");
        SampleConsole.Show(Confusion(report));
    }

    private static string Cell(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);
}
