using System.Globalization;
using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>The share of samples whose true class is among the <see cref="K"/> highest outputs.</summary>
/// <remarks>
/// A sample counts as correct when fewer than k classes score strictly higher than its true class, so classes that
/// tie at the boundary are all in the top k (Keras's <c>in_top_k</c> rule). Targets are class indices or one-hot rows;
/// the output needs more than k values.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TopKAccuracy<T> : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest outputs count, at least 1.</param>
    public TopKAccuracy(int k)
    {
        ArgumentRange.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many of the highest outputs count.</summary>
    public int K { get; }

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"top_{K}_accuracy");

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <inheritdoc/>
    public IMetricAccumulator<T> CreateAccumulator() => new Tally(K);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"TopKAccuracy(k={K})");

    /// <summary>Whether the true class <paramref name="actual"/> is among the <paramref name="k"/> highest of <paramref name="scores"/>.</summary>
    internal static bool InTopK(ReadOnlySpan<T> scores, int actual, int k)
    {
        T score = scores[actual];
        int higher = 0;
        foreach (T s in scores)
            if (s > score) higher++;
        return higher < k;
    }

    private sealed class Tally(int k) : IMetricAccumulator<T>
    {
        private long _correct, _count;

        public void Reset() => _correct = _count = 0;

        public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int batchSize)
        {
            string name = "TopKAccuracy";
            var (outputWidth, targetWidth) = ClassDecoding.Widths(name, output, target, batchSize);
            if (outputWidth <= k)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: the top {k} of an output of {outputWidth} values would hold every class; k must be below the number of outputs."));
            for (int n = 0; n < batchSize; n++)
            {
                var scores = output.Slice(n * outputWidth, outputWidth);
                int actual = ClassDecoding.Actual(name, target.Slice(n * targetWidth, targetWidth), outputWidth, (int)_count + n);
                if (InTopK(scores, actual, k)) _correct++;
            }
            _count += batchSize;
        }

        public double Result => _count == 0 ? throw new InvalidOperationException("TopKAccuracy: no batch was added.") : (double)_correct / _count;
    }
}
