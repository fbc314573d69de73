using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        NetworkChecks.OutputShapeFor(network, data, nameof(data));
        return new EvaluationPass<T>(network, loss, MetricSet.Resolve(metrics, data), data, Math.Min(batchSize, data.Count)).Run();
    }
}
