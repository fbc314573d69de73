using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Training.Callbacks;

/// <summary>
/// Copies of BatchNorm layers' running statistics in a <see cref="CallbackState"/>: by layer k (depth first, as
/// <see cref="BatchNormLayers.Of{T}"/> lists them), the buffers <c>runningMean{k}</c> and <c>runningVariance{k}</c> and the
/// scalar <c>batchesTracked{k}</c>.
/// </summary>
internal static class RunningStatisticsState
{

    /// <summary>Adds the copies to a state's buffers and scalars.</summary>
    public static void Export<T>(RunningStatisticsCopy<T>[] copies, Dictionary<string, double[]> buffers, Dictionary<string, double> scalars)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < copies.Length; k++)
        {
            buffers[Mean(k)] = RunningStatisticsCopy<T>.Widened(copies[k].Mean);
            buffers[Variance(k)] = RunningStatisticsCopy<T>.Widened(copies[k].Variance);
            scalars[Batches(k)] = copies[k].BatchesTracked;
        }
    }

    /// <summary>Whether the state holds any statistic (a state written before they were kept holds none).</summary>
    public static bool IsIn(CallbackState state) => state.Buffers.ContainsKey(Mean(0)) || state.Buffers.ContainsKey(Variance(0)) || state.Scalars.ContainsKey(Batches(0));

    /// <summary>Reads the copies for <paramref name="norms"/>, checked: each one present, of the layer's length, finite, the variances non-negative, the counts whole.</summary>
    /// <exception cref="ArgumentException">A statistic is missing or malformed; the message names it.</exception>
    public static RunningStatisticsCopy<T>[] Import<T>(CallbackState state, BatchNorm<T>[] norms) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var copies = new RunningStatisticsCopy<T>[norms.Length];
        for (int k = 0; k < norms.Length; k++)
        {
            copies[k] = new RunningStatisticsCopy<T>(norms[k].Features);
            Read(state, Mean(k), copies[k].Mean, variance: false);
            Read(state, Variance(k), copies[k].Variance, variance: true);
            double batches = state.Scalar(Batches(k));
            if (!(batches >= 0 && batches <= Serialization.BuiltInLayerKinds.MaxBatchesTracked && batches == Math.Floor(batches)))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The state of {state.Kind} has '{Batches(k)}' = {batches}; a batch count is a whole number in [0, 2^53]."), nameof(state));
            copies[k].BatchesTracked = (long)batches;
        }
        return copies;
    }

    /// <summary>The number of buffers <paramref name="layers"/> statistics take.</summary>
    public static int BufferCount(int layers) => 2 * layers;

    private static void Read<T>(CallbackState state, string name, T[] into, bool variance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!state.Buffers.TryGetValue(name, out var values) || values is null || values.Length != into.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The state of {state.Kind} needs '{name}' with {into.Length} values (a BatchNorm layer's running statistic), but has {(values is null ? "none" : values.Length.ToString(CultureInfo.InvariantCulture))}."), nameof(state));
        for (int c = 0; c < values.Length; c++)
        {
            into[c] = T.CreateTruncating(values[c]);
            if (!T.IsFinite(into[c]) || (variance && values[c] < 0))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The state of {state.Kind} has '{name}'[{c}] = {values[c]}; a running {(variance ? "variance is finite and non-negative" : "mean is finite")}."), nameof(state));
        }
    }

    private static string Mean(int k) => "runningMean" + k.ToString(CultureInfo.InvariantCulture);

    private static string Variance(int k) => "runningVariance" + k.ToString(CultureInfo.InvariantCulture);

    private static string Batches(int k) => "batchesTracked" + k.ToString(CultureInfo.InvariantCulture);
}
