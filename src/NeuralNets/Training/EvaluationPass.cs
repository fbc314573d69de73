using System.Numerics;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;
using NeuralNets.Training.Metrics;

namespace NeuralNets.Training;

/// <summary>
/// One pass of a network over a dataset in inference mode (<see cref="InferenceBatches{T}"/>), in the dataset's order: the mean loss and each metric.
/// The trainer keeps one for its validation set, so that validating every epoch reuses the same buffers.
/// </summary>
internal sealed class EvaluationPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly InferenceBatches<T> _inference;
    private readonly ILoss<T> _loss;
    private readonly IMetric<T>[] _metrics;
    private readonly IMetricAccumulator<T>[] _accumulators;
    private readonly MiniBatches<T> _batches;

    /// <summary>A pass of <paramref name="network"/>, whose per-sample output shape on <paramref name="data"/> is <paramref name="outputShape"/>.</summary>
    public EvaluationPass(ILayer<T> network, IReadOnlyList<int> outputShape, ILoss<T> loss, IMetric<T>[] metrics, Dataset<T> data, int batchSize)
    {
        _inference = new InferenceBatches<T>(network, outputShape);
        _loss = loss;
        _metrics = metrics;
        _accumulators = MetricSet.Accumulators(metrics);
        _batches = new MiniBatches<T>(data, batchSize, shuffle: false);
    }

    public Dataset<T> Data => _batches.Data;

    public Evaluation Run()
    {
        foreach (var a in _accumulators) a.Reset();
        double lossSum = 0;
        foreach (var batch in _batches.NextEpoch())
        {
            var output = _inference.Run(batch.Features);
            lossSum += double.CreateChecked(_loss.Forward(output, batch.Targets)) * batch.Count;
            foreach (var a in _accumulators) a.Add(output.Span(), batch.Targets.Span(), batch.Count);
        }
        return new Evaluation(lossSum / Data.Count, MetricSet.Results(_metrics, _accumulators));
    }
}
