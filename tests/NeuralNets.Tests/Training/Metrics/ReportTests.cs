using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training.Metrics;

public class ReportTests
{
    /// <summary>A network whose outputs are its inputs, so that a dataset's features are the logits to report on.</summary>
    private sealed class Identity : ILayer<double>
    {
        public IReadOnlyList<Parameter<double>> Parameters => [];
        public Tensor<double> Forward(Tensor<double> input, bool training) => input;
        public Tensor<double> Backward(Tensor<double> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;
        public LayerDescription Describe() => LayerDescription.Of("Identity");
    }

    // Predictions 0, 1, 1, 2, 0, 2 against labels 0, 1, 2, 2, 1, 2: confusion rows (truth) [1 0 0], [1 1 0], [0 1 2].
    private static readonly double[][] Logits = [[2, 0, 1], [0, 2, 1], [0, 2, 1], [0, 1, 2], [2, 0, 1], [1, 0, 2]];
    private static readonly int[] Labels = [0, 1, 2, 2, 1, 2];

    private static ClassificationReport Report(int topK = 2) =>
        new Identity().ReportClassification(Dataset<double>.FromLabels(Logits, Labels, 3), topK, classNames: ["cat", "dog", "bird"], batchSize: 4);

    [Fact]
    public void ReportClassification_HandComputed_ConfusionAndPerClassFigures()
    {
        var report = Report();

        Enumerable.Range(0, 9).Select(i => report.Confusion(i / 3, i % 3)).Should().Equal(1, 0, 0, 1, 1, 0, 0, 1, 2);
        Enumerable.Range(0, 3).Select(report.Precision).Should().Equal(0.5, 0.5, 1.0);
        Enumerable.Range(0, 3).Select(report.Recall).Should().Equal(1.0, 0.5, 2.0 / 3);
        Enumerable.Range(0, 3).Select(report.F1).Should().Equal(2.0 / 3, 0.5, 0.8);
        Enumerable.Range(0, 3).Select(c => report.Support(c)).Should().Equal(1, 2, 3);
        report.MacroPrecision.Should().BeApproximately(2.0 / 3, 1e-15);
        report.MacroRecall.Should().BeApproximately(13.0 / 18, 1e-15);
        report.MacroF1.Should().BeApproximately(59.0 / 90, 1e-15);
        report.MicroF1.Should().Be(report.Accuracy);
        report.Accuracy.Should().Be(4.0 / 6);
        report.Misclassified.Should().Equal(2, 4);
        report.TopKAccuracy.Should().Be(5.0 / 6, "sample 2's bird is second, sample 4's dog last");
    }

    [Fact]
    public void ReportClassification_KNotBelowTheClasses_HasNoTopK()
    {
        Report(topK: 3).TopKAccuracy.Should().BeNull();
    }

    [Fact]
    public void ReportClassification_ToString_IsATableTheSameInEveryCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            string text = Report().ToString();
            text.Should().Contain("     bird     1.0000     0.6667     0.8000          3")
                .And.Contain("macro avg     0.6667     0.7222     0.6556          6")
                .And.Contain("accuracy 0.6667  top-2 accuracy 0.8333  misclassified 2 of 6")
                .And.Contain("     bird          0          1          2");
            text.Should().NotMatchRegex(@"\d,\d");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void ReportRegression_HandComputed_MaeRmseAndR2()
    {
        // Column 0: errors 0, 0, 1 on targets 1, 2, 3 → R² = 1 − 1/2; column 1: constant targets predicted exactly → 1.
        var predictions = new[] { new double[] { 1, 0 }, [2, 0], [4, 0] };
        var targets = new[] { new double[] { 1, 0 }, [2, 0], [3, 0] };

        var report = new Identity().ReportRegression(Dataset<double>.FromArrays(predictions, targets), batchSize: 2);

        report.Samples.Should().Be(3);
        report.MeanAbsoluteError.Should().BeApproximately(1.0 / 6, 1e-15);
        report.RootMeanSquaredError.Should().BeApproximately(Math.Sqrt(1.0 / 6), 1e-15);
        report.RSquared.Should().BeApproximately(0.75, 1e-15);
        report.ToString().Should().Be("mae 0.1667  rmse 0.4082  r2 0.7500  (3 samples)");
    }

    [Fact]
    public void Evaluate_RegressionMetrics_PrintReadably()
    {
        var predictions = new[] { new double[] { 1 }, [2], [4] };
        var targets = new[] { new double[] { 1 }, [2], [3] };
        var data = Dataset<double>.FromArrays(predictions, targets);

        var plain = new Identity().Evaluate(data, new MeanSquaredError<double>());
        var measured = new Identity().Evaluate(data, new MeanSquaredError<double>(), [new MeanAbsoluteError<double>(), new RootMeanSquaredError<double>(), new RSquared<double>()]);

        plain.Accuracy.Should().BeNull();
        plain.ToString().Should().MatchRegex(@"^loss \d\.\d{4}$");
        measured.Metrics["mae"].Should().BeApproximately(1.0 / 3, 1e-15);
        measured.Metrics["rmse"].Should().BeApproximately(Math.Sqrt(1.0 / 3), 1e-15);
        measured.Metrics["r2"].Should().BeApproximately(0.5, 1e-15);
        measured.ToString().Should().EndWith("  mae 0.3333  rmse 0.5774  r2 0.5000");
    }
}
