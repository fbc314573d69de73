using System.Globalization;
using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>The share of samples whose predicted class is the true one.</summary>
/// <remarks>
/// The predicted class is the index of the largest output (the first of equal ones); with a single output it is 1
/// when the output exceeds the threshold (0 for a logit, as <see cref="Losses.BinaryCrossEntropyWithLogits{T}"/>
/// takes; 0.5 for a sigmoid's probability). The true class is the target when targets are class indices (one per
/// sample), the index of the largest target when they are one-hot rows as wide as the output, and the target itself
/// (0 or 1) against a single output.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Accuracy<T> : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the metric.</summary>
    /// <param name="threshold">For a single output: the value it must exceed to predict class 1. Default 0, for logits.</param>
    public Accuracy(double threshold = 0)
    {
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), string.Create(CultureInfo.InvariantCulture, $"threshold must be finite, but was {threshold}."));
        Threshold = threshold;
    }

    /// <summary>For a single output, the value it must exceed to predict class 1.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public string Name => "accuracy";

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <inheritdoc/>
    public IMetricAccumulator<T> CreateAccumulator() => new Tally(T.CreateChecked(Threshold));

    /// <inheritdoc/>
    public override string ToString() => Threshold == 0 ? "Accuracy" : string.Create(CultureInfo.InvariantCulture, $"Accuracy(threshold={Threshold})");

    private sealed class Tally(T threshold) : IMetricAccumulator<T>
    {
        private long _correct, _count;

        public void Reset() => _correct = _count = 0;

        public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int batchSize)
        {
            var (outputWidth, targetWidth) = ClassDecoding.Widths("Accuracy", output, target, batchSize);
            for (int n = 0; n < batchSize; n++)
            {
                int predicted = ClassDecoding.Predicted(output.Slice(n * outputWidth, outputWidth), threshold);
                int actual = ClassDecoding.Actual("Accuracy", target.Slice(n * targetWidth, targetWidth), outputWidth, (int)_count + n);
                if (predicted == actual) _correct++;
            }
            _count += batchSize;
        }

        public double Result => _count == 0 ? throw new InvalidOperationException("Accuracy: no batch was added.") : (double)_correct / _count;
    }
}
