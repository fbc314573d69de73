using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Training;

/// <summary>
/// A copy of one <see cref="BatchNorm{T}"/> layer's running mean, variance and batch count, to put back with the weights
/// they go with (the last good step's, the best epoch's): inference reads them, so weights put back without them would
/// answer from another step's statistics.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class RunningStatisticsCopy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's name of the running mean (<c>running_mean</c>).</summary>
    public const string MeanName = "running_mean";

    /// <summary>PyTorch's name of the running variance (<c>running_var</c>).</summary>
    public const string VarianceName = "running_var";

    /// <summary>An empty copy for a layer of <paramref name="features"/> channels.</summary>
    public RunningStatisticsCopy(int features) => (Mean, Variance) = (new T[features], new T[features]);

    /// <summary>A copy of <paramref name="layer"/>'s statistics as they are now.</summary>
    public static RunningStatisticsCopy<T> Of(BatchNorm<T> layer)
    {
        var copy = new RunningStatisticsCopy<T>(layer.Features);
        copy.CopyFrom(layer);
        return copy;
    }

    /// <summary>The running mean copied.</summary>
    public T[] Mean { get; }

    /// <summary>The running variance copied.</summary>
    public T[] Variance { get; }

    /// <summary>The batch count copied.</summary>
    public long BatchesTracked { get; set; }

    /// <summary>
    /// Checks that <paramref name="layer"/>'s statistics are finite and, unless <paramref name="target"/> is null, copies
    /// them into it in the same pass. Returns which one is not finite (<see cref="MeanName"/>, <see cref="VarianceName"/>),
    /// or null. Allocates nothing: it runs after every step.
    /// </summary>
    public static string? CopyIfFinite(BatchNorm<T> layer, RunningStatisticsCopy<T>? target)
    {
        if (!Elementwise.CopyAllFinite(layer.RunningMean, target is null ? Span<T>.Empty : target.Mean)) return MeanName;
        if (!Elementwise.CopyAllFinite(layer.RunningVariance, target is null ? Span<T>.Empty : target.Variance)) return VarianceName;
        if (target is not null) target.BatchesTracked = layer.BatchesTracked;
        return null;
    }

    /// <summary>Copies <paramref name="layer"/>'s statistics, whatever their values.</summary>
    public void CopyFrom(BatchNorm<T> layer)
    {
        layer.RunningMean.CopyTo(Mean);
        layer.RunningVariance.CopyTo(Variance);
        BatchesTracked = layer.BatchesTracked;
    }

    /// <summary>Puts the copy back into <paramref name="layer"/> (exact: float and double both widen to double and back).</summary>
    public void RestoreTo(BatchNorm<T> layer)
    {
        layer.SetRunningStatistics(Widened(Mean), Widened(Variance), BatchesTracked);
    }

    /// <summary>A double copy of <paramref name="values"/> (exact: float and double both widen to double).</summary>
    public static double[] Widened(T[] values)
    {
        var copy = new double[values.Length];
        TensorPrimitives.ConvertTruncating<T, double>(values, copy);
        return copy;
    }
}
