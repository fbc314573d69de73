using System.Globalization;
using System.Text;

namespace NeuralNets.Training.Metrics;

/// <summary>
/// How a classifier did on a dataset: the confusion matrix, precision, recall and F1 per class with their macro and
/// micro averages, accuracy, top-k accuracy, and which samples it got wrong. Made by
/// <see cref="Evaluator.ReportClassification{T}"/>.
/// </summary>
/// <remarks>
/// For class c with TP its correct predictions, FP the other samples predicted c and FN the samples of c predicted
/// otherwise: precision = TP/(TP + FP), recall = TP/(TP + FN), F1 = 2·P·R/(P + R); a ratio with a zero denominator is 0
/// (scikit-learn's <c>zero_division=0</c>). Macro averages are the plain means over the classes; micro averages pool
/// the counts, and for one label per sample all three equal the accuracy.
/// </remarks>
public sealed class ClassificationReport
{
    private readonly long[,] _confusion;
    private readonly int[] _misclassified;

    internal ClassificationReport(long[,] confusion, int[] misclassified, int topK, double? topKAccuracy, IReadOnlyList<string>? classNames)
    {
        _confusion = confusion;
        _misclassified = misclassified;
        ClassCount = confusion.GetLength(0);
        if (classNames is not null && classNames.Count != ClassCount)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{classNames.Count} class names were given for {ClassCount} classes."), nameof(classNames));
        ClassNames = classNames?.ToArray() ?? Enumerable.Range(0, ClassCount).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        TopK = topK;
        TopKAccuracy = topKAccuracy;
        long correct = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            correct += confusion[c, c];
            for (int p = 0; p < ClassCount; p++) Samples += confusion[c, p];
        }
        Accuracy = (double)correct / Samples;
    }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The classes' names (their indices when none were given).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of samples.</summary>
    public long Samples { get; }

    /// <summary>The share of samples classified correctly.</summary>
    public double Accuracy { get; }

    /// <summary>The k of <see cref="TopKAccuracy"/>.</summary>
    public int TopK { get; }

    /// <summary>The share of samples whose class is among the k highest outputs (ties at the boundary count as inside); null when the outputs are not more than k.</summary>
    public double? TopKAccuracy { get; }

    /// <summary>The indices (in the dataset) of the samples classified wrongly, in order.</summary>
    public IReadOnlyList<int> Misclassified => _misclassified;

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/> (row: truth, column: prediction, as scikit-learn).</summary>
    public long Confusion(int actual, int predicted) => _confusion[actual, predicted];

    /// <summary>The number of samples of class <paramref name="c"/>.</summary>
    public long Support(int c)
    {
        long support = 0;
        for (int p = 0; p < ClassCount; p++) support += _confusion[c, p];
        return support;
    }

    /// <summary>TP/(TP + FP) of class <paramref name="c"/>, 0 when nothing was predicted as c.</summary>
    public double Precision(int c)
    {
        long predicted = 0;
        for (int a = 0; a < ClassCount; a++) predicted += _confusion[a, c];
        return Ratio(_confusion[c, c], predicted);
    }

    /// <summary>TP/(TP + FN) of class <paramref name="c"/>, 0 when the class has no samples.</summary>
    public double Recall(int c) => Ratio(_confusion[c, c], Support(c));

    /// <summary>The harmonic mean of precision and recall of class <paramref name="c"/>, 0 when both are 0.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>The mean of the classes' precisions.</summary>
    public double MacroPrecision => MeanOver(Precision);

    /// <summary>The mean of the classes' recalls.</summary>
    public double MacroRecall => MeanOver(Recall);

    /// <summary>The mean of the classes' F1 scores.</summary>
    public double MacroF1 => MeanOver(F1);

    /// <summary>Precision over the pooled counts; equal to <see cref="Accuracy"/> with one label per sample.</summary>
    public double MicroPrecision => Accuracy;

    /// <summary>Recall over the pooled counts; equal to <see cref="Accuracy"/> with one label per sample.</summary>
    public double MicroRecall => Accuracy;

    /// <summary>F1 over the pooled counts; equal to <see cref="Accuracy"/> with one label per sample.</summary>
    public double MicroF1 => Accuracy;

    private double MeanOver(Func<int, double> perClass)
    {
        double sum = 0;
        for (int c = 0; c < ClassCount; c++) sum += perClass(c);
        return sum / ClassCount;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    /// <summary>A table per class (precision, recall, F1, support), the averages, accuracy and the confusion matrix; the same in every culture.</summary>
    public override string ToString()
    {
        int nameWidth = Math.Max(9, ClassNames.Max(n => n.Length));
        var text = new StringBuilder();
        void Row(string name, double p, double r, double f, long support) =>
            text.Append(CultureInfo.InvariantCulture, $"{name.PadLeft(nameWidth)}  {p,9:F4}  {r,9:F4}  {f,9:F4}  {support,9}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{"".PadLeft(nameWidth)}  {"precision",9}  {"recall",9}  {"f1",9}  {"support",9}").AppendLine();
        for (int c = 0; c < ClassCount; c++) Row(ClassNames[c], Precision(c), Recall(c), F1(c), Support(c));
        text.AppendLine();
        Row("macro avg", MacroPrecision, MacroRecall, MacroF1, Samples);
        Row("micro avg", MicroPrecision, MicroRecall, MicroF1, Samples);
        text.Append(CultureInfo.InvariantCulture, $"accuracy {Accuracy:F4}");
        if (TopKAccuracy is double topK) text.Append(CultureInfo.InvariantCulture, $"  top-{TopK} accuracy {topK:F4}");
        text.Append(CultureInfo.InvariantCulture, $"  misclassified {_misclassified.Length} of {Samples}").AppendLine().AppendLine();
        text.AppendLine("confusion matrix (rows: true class, columns: predicted)");
        int cell = Math.Max(nameWidth, Samples.ToString(CultureInfo.InvariantCulture).Length);
        text.Append("".PadLeft(nameWidth));
        foreach (var name in ClassNames) text.Append("  ").Append(name.PadLeft(cell));
        text.AppendLine();
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append(ClassNames[a].PadLeft(nameWidth));
            for (int p = 0; p < ClassCount; p++) text.Append("  ").Append(_confusion[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            text.AppendLine();
        }
        return text.ToString().TrimEnd();
    }
}
