using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>Evaluates a network on a dataset: no optimizer and no trainer needed, e.g. for a model loaded from a file.</summary>
public static class Evaluator
{
    /// <summary>Mean loss and metrics of <paramref name="network"/> on <paramref name="data"/>, in inference mode, in the dataset's order.</summary>
    /// <param name="network">Any network or layer.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="loss">The loss to average.</param>
    /// <param name="metrics">The metrics; null gives accuracy for a dataset of class labels and none otherwise, an empty list none.</param>
    /// <param name="batchSize">Samples per forward pass. Default 256.</param>
    /// <exception cref="ShapeMismatchException">The dataset's samples do not fit the network.</exception>
    /// <exception cref="ArgumentException">The dataset has more classes than the network has outputs, or two metrics share a name.</exception>
    /// <example><code>
    /// var model = ModelFile.Load&lt;float&gt;("model.json");
    /// Console.WriteLine(model.Evaluate(test, new SoftmaxCrossEntropy&lt;float&gt;(), [new Accuracy&lt;float&gt;(), new TopKAccuracy&lt;float&gt;(3)]));
    /// </code></example>
    public static Evaluation Evaluate<T>(this ILayer<T> network, Dataset<T> data, ILoss<T> loss, IEnumerable<IMetric<T>>? metrics = null, int batchSize = 256)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentRange.ThrowIfNegativeOrZero(batchSize);
        var outputShape = NetworkChecks.OutputShapeFor(network, data, nameof(data));
        return new EvaluationPass<T>(network, outputShape, loss, MetricSet.Resolve(metrics, data), data, Math.Min(batchSize, data.Count)).Run();
    }

    /// <summary>
    /// The classification report of <paramref name="network"/> on <paramref name="data"/>: confusion matrix, per-class
    /// precision, recall and F1 with macro and micro averages, top-k accuracy and the misclassified samples' indices.
    /// Targets are class indices, one-hot rows, or 0/1 against a single logit (as <see cref="Accuracy{T}"/> reads them).
    /// </summary>
    /// <param name="network">Any network or layer.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="topK">The k of the top-k accuracy, at least 1. Default 5 (reported only when the network has more outputs).</param>
    /// <param name="classNames">Names for the table, one per class; null prints the indices.</param>
    /// <param name="threshold">For a single output, the value it must exceed to predict class 1. Default 0, for logits.</param>
    /// <param name="batchSize">Samples per forward pass. Default 256.</param>
    public static ClassificationReport ReportClassification<T>(this ILayer<T> network, Dataset<T> data, int topK = 5,
        IReadOnlyList<string>? classNames = null, double threshold = 0, int batchSize = 256)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentRange.ThrowIfLessThan(topK, 1);
        ArgumentRange.ThrowIfNegativeOrZero(batchSize);
        var outputShape = NetworkChecks.OutputShapeFor(network, data, nameof(data));
        int width = 1;
        for (int i = 0; i < outputShape.Count; i++) width *= outputShape[i];
        int classes = ClassDecoding.ClassCount(width);
        var confusion = new long[classes, classes];
        var misclassified = new List<int>();
        long inTopK = 0;
        T cut = T.CreateChecked(threshold);
        const string name = "ReportClassification";
        var inference = new InferenceBatches<T>(network, outputShape);
        foreach (var batch in new MiniBatches<T>(data, Math.Min(batchSize, data.Count), shuffle: false).NextEpoch())
        {
            ReadOnlySpan<T> output = inference.Run(batch.Features).Span(), target = batch.Targets.Span();
            var (outputWidth, targetWidth) = ClassDecoding.Widths(name, output, target, batch.Count);
            var indices = batch.SampleIndices.Span;
            for (int n = 0; n < batch.Count; n++)
            {
                var scores = output.Slice(n * outputWidth, outputWidth);
                int predicted = ClassDecoding.Predicted(scores, cut);
                int actual = ClassDecoding.Actual(name, target.Slice(n * targetWidth, targetWidth), outputWidth, indices[n]);
                confusion[actual, predicted]++;
                if (predicted != actual) misclassified.Add(indices[n]);
                if (outputWidth > topK && TopKAccuracy<T>.InTopK(scores, actual, topK)) inTopK++;
            }
        }
        return new ClassificationReport(confusion, misclassified.ToArray(), topK, width > topK ? (double)inTopK / data.Count : null, classNames);
    }

    /// <summary>MAE, RMSE and R² of <paramref name="network"/> on <paramref name="data"/>, whose targets are shaped like the outputs.</summary>
    /// <param name="network">Any network or layer.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="batchSize">Samples per forward pass. Default 256.</param>
    public static RegressionReport ReportRegression<T>(this ILayer<T> network, Dataset<T> data, int batchSize = 256)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentRange.ThrowIfNegativeOrZero(batchSize);
        var inference = new InferenceBatches<T>(network, NetworkChecks.OutputShapeFor(network, data, nameof(data)));
        var tally = new RegressionTally<T>(t => 0);
        foreach (var batch in new MiniBatches<T>(data, Math.Min(batchSize, data.Count), shuffle: false).NextEpoch())
            tally.Add(inference.Run(batch.Features).Span(), batch.Targets.Span(), batch.Count);
        return new RegressionReport(tally.Samples, tally.MeanAbsoluteError, tally.RootMeanSquaredError, tally.RSquared);
    }
}
