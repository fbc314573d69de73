using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Interop;

/// <summary>
/// Loads a safetensors file into a network's tensors (<see cref="NetworkTensor{T}"/>) as PyTorch's
/// <c>load_state_dict</c> does: every name matched, every dtype and shape checked, and every value decoded and checked
/// before the first is written, so that a load that fails changes nothing.
/// </summary>
internal static class SafetensorsLoader
{
    /// <summary>See <see cref="SafetensorsFile.LoadParameters{T}(Sequential{T}, ReadOnlyMemory{byte}, string, IReadOnlyDictionary{string, string}?, bool, bool)"/>.</summary>
    public static void Load<T>(Sequential<T> network, ReadOnlySpan<byte> file, string source,
        IReadOnlyDictionary<string, string>? rename, bool strict, bool zeroAbsentBiases)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var byName = new Dictionary<string, SafetensorsEntry>();
        foreach (var entry in SafetensorsHeader.Read(file, source))
        {
            string name = rename is not null && rename.TryGetValue(entry.Name, out var renamed) ? renamed : entry.Name;
            if (!byName.TryAdd(name, entry))
                throw new InvalidDataException($"{source}: the tensors '{byName[name].Name}' and '{entry.Name}' both load into '{name}'.");
        }
        var targets = NetworkTensor<T>.Of(network);
        var chosen = new SafetensorsEntry?[targets.Count];
        for (int i = 0; i < targets.Count; i++)
            if (byName.Remove(targets[i].Name, out var entry)) chosen[i] = Checked(targets[i], entry, source);
        for (int i = 0; i < targets.Count; i++)
            if (chosen[i] is null) CheckAbsence(targets, chosen, i, source, rename is not null, zeroAbsentBiases);
        if (strict && byName.Count > 0)
            throw new InvalidDataException($"{source} holds tensors the network has no parameter for: {string.Join(", ", byName.Values.Select(e => $"'{e.Name}'"))}" +
                (byName.Keys.Any(name => IsBiasBesideWeight(targets, name)) ? " (a layer built with bias: false, whose PyTorch layer has a bias? Build it with one, or load with strict: false to ignore them)." : " (load with strict: false to ignore them)."));
        var data = file[SafetensorsHeader.DataStart(file)..];
        var values = new T[]?[targets.Count];
        var counts = new long?[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            if (chosen[i] is not { } entry) continue;
            if (targets[i].Kind == NetworkTensorKind.BatchesTracked) counts[i] = Count(entry, data, source);
            else values[i] = CheckedValues(targets[i].Kind, entry, entry.Decode<T>(data, source), source);
        }
        network.BeginTrainingStep();
        try
        {
            for (int i = 0; i < targets.Count; i++)
            {
                var target = targets[i];
                if (target.Kind == NetworkTensorKind.Parameter)
                {
                    if (values[i] is { } parameter) parameter.CopyTo(target.Parameter!.ValueSpan);
                    else target.Parameter!.ValueSpan.Clear();  // an absent bias (zeroAbsentBiases)
                }
                else if (target.Kind == NetworkTensorKind.RunningMean)
                {
                    // The mean, the variance and the count lie in that order (NetworkTensor.Of). An absent count leaves the
                    // layer's own, as today's PyTorch does for a state_dict without one.
                    target.Layer!.SetRunningStatistics(RunningStatisticsCopy<T>.Widened(values[i]!), RunningStatisticsCopy<T>.Widened(values[i + 1]!),
                        counts[i + 2] ?? target.Layer.BatchesTracked);
                }
            }
        }
        finally
        {
            network.EndTrainingStep();
        }
    }

    /// <summary><paramref name="entry"/>, once its dtype and shape are found to fit <paramref name="target"/>.</summary>
    private static SafetensorsEntry Checked<T>(NetworkTensor<T> target, SafetensorsEntry entry, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string what = Description(target);
        if (target.Kind == NetworkTensorKind.BatchesTracked ? entry.DType != NetworkTensor<T>.CountDType : !SafetensorsEntry.IsFloat(entry.DType))
            throw new InvalidDataException($"{source}: tensor '{entry.Name}' has the dtype '{entry.DType}', but {what} takes " +
                (target.Kind == NetworkTensorKind.BatchesTracked ? $"{NetworkTensor<T>.CountDType}, as PyTorch writes it." : $"{SafetensorsEntry.FloatDTypes}."));
        if (!entry.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new InvalidDataException($"{source}: the tensor '{entry.Name}' is {TensorMemory.ShapeText(entry.Shape)}, but {what} is {TensorMemory.ShapeText(target.Shape)}.");
        return entry;
    }

    /// <summary>The target for messages: <c>the parameter '0.weight'</c>, <c>the running statistic '1.running_var'</c>.</summary>
    private static string Description<T>(NetworkTensor<T> target) where T : unmanaged, IFloatingPointIeee754<T> =>
        target.Kind == NetworkTensorKind.Parameter ? $"the parameter '{target.Name}'" : $"the BatchNorm buffer '{target.Name}'";

    /// <summary>
    /// Accepts the absence of <paramref name="targets"/>[<paramref name="index"/>] where PyTorch's files may lack it, and
    /// throws, saying what is missing and why it may be, where not.
    /// </summary>
    private static void CheckAbsence<T>(List<NetworkTensor<T>> targets, SafetensorsEntry?[] chosen, int index, string source, bool renamed, bool zeroAbsentBiases)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = targets[index];
        string missing = $"{source} holds no tensor for {Description(target)} {TensorMemory.ShapeText(target.Shape)}";
        switch (target.Kind)
        {
            // PyTorch itself loads a state_dict without it (files from before PyTorch 0.4.1 have none).
            case NetworkTensorKind.BatchesTracked:
                return;
            case NetworkTensorKind.RunningMean or NetworkTensorKind.RunningVariance:
                throw new InvalidDataException($"{missing}: PyTorch writes a BatchNorm's running_mean and running_var with its weights, " +
                    "unless it was built with track_running_stats=False and so normalises with each batch's statistics in eval mode too, which NeuralNets' BatchNorm does not.");
        }
        if (WeightIndex(targets, target.Name) is >= 0 and var weightIndex && chosen[weightIndex] is { } weight)
        {
            if (zeroAbsentBiases) return;
            throw new InvalidDataException($"{missing}, though it holds the weight '{weight.Name}': the PyTorch layer was built with bias=False. " +
                "Build the layer with bias: false to match it, or load with zeroAbsentBiases: true to set this bias to zero, which predicts as the layer without one (until training moves it).");
        }
        throw new InvalidDataException(missing + (renamed ? "." : " (give a renaming when the file's names are a PyTorch model's module names; see PyTorchNames)."));
    }

    /// <summary>Whether <paramref name="name"/> is a bias whose weight the network has, in a layer without a bias.</summary>
    private static bool IsBiasBesideWeight<T>(List<NetworkTensor<T>> targets, string name) where T : unmanaged, IFloatingPointIeee754<T> =>
        WeightIndex(targets, name) >= 0;

    /// <summary>Where among <paramref name="targets"/> the weight beside the bias <paramref name="biasName"/> stands; −1 for none, or a name that is no bias.</summary>
    private static int WeightIndex<T>(List<NetworkTensor<T>> targets, string biasName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!biasName.EndsWith(".bias", StringComparison.Ordinal)) return -1;
        string weightName = biasName[..^"bias".Length] + "weight";
        return targets.FindIndex(t => t.Kind == NetworkTensorKind.Parameter && t.Name == weightName);
    }

    /// <summary>
    /// The batch count, which must not be negative, nor beyond 2^53: the model files and checkpoints that keep the layer
    /// hold the count as a double, which past 2^53 would round it (2^53 + 1 saved as 2^53) or refuse it on reading.
    /// </summary>
    private static long Count(SafetensorsEntry entry, ReadOnlySpan<byte> data, string source)
    {
        long count = entry.DecodeInt64(data);
        return count is >= 0 and <= BuiltInLayerKinds.MaxBatchesTracked ? count
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: tensor '{entry.Name}' counts {count} training batches; a count must lie in [0, 2^53], as model files keep it."));
    }

    /// <summary><paramref name="values"/>; a running statistic checked as BatchNorm checks it: finite, and a variance not negative.</summary>
    private static T[] CheckedValues<T>(NetworkTensorKind kind, SafetensorsEntry entry, T[] values, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kind == NetworkTensorKind.Parameter) return values;
        for (int c = 0; c < values.Length; c++)
            if (!T.IsFinite(values[c]) || (kind == NetworkTensorKind.RunningVariance && values[c] < T.Zero))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: tensor '{entry.Name}' holds {values[c]} for channel {c}; a BatchNorm's running mean must be finite, and its variance finite and not negative."));
        return values;
    }

}
