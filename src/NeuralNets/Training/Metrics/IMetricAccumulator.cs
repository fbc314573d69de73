using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>The running totals of one <see cref="IMetric{T}"/> over one pass through a dataset, batch by batch.</summary>
/// <remarks>
/// <see cref="Add"/> runs inside every training step: it must not allocate (keep the totals in fields) and must not
/// keep the spans, which are buffers the network and the trainer reuse. Batches come in the pass's order: shuffled
/// while training, the dataset's own order in an evaluation.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface IMetricAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Forgets every batch added, for the next pass.</summary>
    void Reset();

    /// <summary>Adds one batch.</summary>
    /// <param name="output">The network's outputs, <paramref name="batchSize"/> rows back to back (row-major).</param>
    /// <param name="target">The targets, <paramref name="batchSize"/> rows back to back: class indices (one per sample) or rows like the output's.</param>
    /// <param name="batchSize">The number of samples in the batch.</param>
    void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int batchSize);

    /// <summary>The figure over every batch added since the last <see cref="Reset"/>.</summary>
    /// <exception cref="InvalidOperationException">No batch was added.</exception>
    double Result { get; }
}
