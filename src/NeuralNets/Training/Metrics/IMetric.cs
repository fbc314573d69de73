using System.Numerics;

namespace NeuralNets.Training.Metrics;

/// <summary>
/// A figure of merit computed over a pass through a dataset (accuracy, mean absolute error, …), handed to
/// <see cref="Trainer{T}.Fit"/> and <see cref="Evaluator.Evaluate{T}"/>. The metric itself holds no running
/// totals: each pass gets an accumulator of its own from <see cref="CreateAccumulator"/>, so the training and
/// the validation figures of one epoch never mix.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <example><code>
/// sealed class MeanOutput&lt;T&gt; : IMetric&lt;T&gt; where T : unmanaged, IFloatingPointIeee754&lt;T&gt;
/// {
///     public string Name =&gt; "mean_output";
///     public bool HigherIsBetter =&gt; false;
///     public IMetricAccumulator&lt;T&gt; CreateAccumulator() =&gt; new Sum();
///     sealed class Sum : IMetricAccumulator&lt;T&gt;
///     {
///         double _sum; long _count;
///         public void Reset() =&gt; (_sum, _count) = (0, 0);
///         public void Add(ReadOnlySpan&lt;T&gt; output, ReadOnlySpan&lt;T&gt; target, int batchSize)
///         {
///             foreach (T o in output) _sum += double.CreateChecked(o);
///             _count += output.Length;
///         }
///         public double Result =&gt; _sum / _count;
///     }
/// }
/// </code></example>
public interface IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The name under which the figure is reported (e.g. <c>accuracy</c>; validation figures get the prefix <c>val_</c>).
    /// Lower-case words joined by underscores, as Keras names its logs; unique among the metrics of one run.
    /// </summary>
    string Name { get; }

    /// <summary>Whether a larger value is better (accuracy) or a smaller one (an error); callbacks that monitor the metric use it.</summary>
    bool HigherIsBetter { get; }

    /// <summary>Running totals for one pass, empty.</summary>
    IMetricAccumulator<T> CreateAccumulator();
}
