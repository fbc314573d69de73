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
    public static SafetensorsLoadReport Load<T>(Sequential<T> network, ReadOnlySpan<byte> file, string source,
        IReadOnlyDictionary<string, string>? rename, bool strict, bool zeroAbsentBiases)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entries = SafetensorsHeader.Read(file, source);
        var byName = new Dictionary<string, SafetensorsEntry>();
        foreach (var entry in entries)
        {
            string name = NetworkName(entry.Name, rename);
            if (!byName.TryAdd(name, entry))
                throw new InvalidDataException($"{source}: the tensors '{byName[name].Name}' and '{entry.Name}' both load into '{name}'.");
        }
        var targets = NetworkTensor<T>.Of(network);
        var chosen = new SafetensorsEntry?[targets.Count];
        for (int i = 0; i < targets.Count; i++)
            if (byName.Remove(targets[i].Name, out var entry)) chosen[i] = Checked(targets[i], entry, source);
        var zero = new bool[targets.Count];
        var missing = new List<string>();
        for (int i = 0; i < targets.Count; i++)
        {
            if (chosen[i] is not null) continue;
            switch (AbsenceOf(targets, chosen, i, zeroAbsentBiases))
            {
                case Absence.ZeroBias: zero[i] = true; break;
                case Absence.Missing when strict: throw MissingError(targets, chosen, i, source, rename is not null);
                case Absence.Missing: missing.Add(FileName(targets[i].Name, rename)); break;
            }
        }
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
                    else if (zero[i]) target.Parameter!.ValueSpan.Clear();
                }
                else if (target.Kind == NetworkTensorKind.RunningMean)
                {
                    // The mean, the variance and the count lie in that order (NetworkTensor.Of). What the file lacks (strict:
                    // false, or an absent count) the layer keeps, as PyTorch does.
                    var layer = target.Layer!;
                    layer.SetRunningStatistics(RunningStatisticsCopy<T>.Widened(values[i] ?? layer.RunningMean.ToArray()),
                        RunningStatisticsCopy<T>.Widened(values[i + 1] ?? layer.RunningVariance.ToArray()), counts[i + 2] ?? layer.BatchesTracked);
                }
            }
        }
        finally
        {
            network.EndTrainingStep();
        }
        var unexpected = entries.Where(e => byName.ContainsKey(NetworkName(e.Name, rename))).Select(e => e.Name).ToArray();
        return new SafetensorsLoadReport(missing.AsReadOnly(), Array.AsReadOnly(unexpected));
    }

    /// <summary>The network's name of the file's tensor <paramref name="fileName"/>.</summary>
    private static string NetworkName(string fileName, IReadOnlyDictionary<string, string>? rename) =>
        rename is not null && rename.TryGetValue(fileName, out var renamed) ? renamed : fileName;

    /// <summary>The file's name of the network's tensor <paramref name="networkName"/>: the renaming's key for it (the first in ordinal order, should it have several), else the name itself.</summary>
    private static string FileName(string networkName, IReadOnlyDictionary<string, string>? rename) =>
        rename?.Where(pair => pair.Value == networkName).Select(pair => pair.Key).Order(StringComparer.Ordinal).FirstOrDefault() ?? networkName;

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

    /// <summary>What a load does with a network's tensor the file lacks.</summary>
    private enum Absence
    {
        /// <summary>A batch count: the layer keeps its own, and PyTorch reports nothing (it loads files from before 0.4.1, which have none).</summary>
        KeepCount,

        /// <summary>A bias whose weight the file holds, with zeroAbsentBiases: set to zero.</summary>
        ZeroBias,

        /// <summary>Missing: an error when strict, else kept and reported.</summary>
        Missing,
    }

    /// <summary>What to do with <paramref name="targets"/>[<paramref name="index"/>], which the file lacks.</summary>
    private static Absence AbsenceOf<T>(List<NetworkTensor<T>> targets, SafetensorsEntry?[] chosen, int index, bool zeroAbsentBiases)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        targets[index].Kind == NetworkTensorKind.BatchesTracked ? Absence.KeepCount
        : zeroAbsentBiases && WeightIndex(targets, targets[index].Name) is >= 0 and var weight && chosen[weight] is not null ? Absence.ZeroBias
        : Absence.Missing;

    /// <summary>The error for <paramref name="targets"/>[<paramref name="index"/>], missing from a strict load: what is missing and why it may be.</summary>
    private static InvalidDataException MissingError<T>(List<NetworkTensor<T>> targets, SafetensorsEntry?[] chosen, int index, string source, bool renamed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = targets[index];
        string missing = $"{source} holds no tensor for {Description(target)} {TensorMemory.ShapeText(target.Shape)}";
        if (target.Kind is NetworkTensorKind.RunningMean or NetworkTensorKind.RunningVariance)
            return new InvalidDataException($"{missing}: PyTorch writes a BatchNorm's running_mean and running_var with its weights, " +
                "unless it was built with track_running_stats=False and so normalises with each batch's statistics in eval mode too, which NeuralNets' BatchNorm does not " +
                "(load with strict: false to keep the layer's own).");
        if (WeightIndex(targets, target.Name) is >= 0 and var weightIndex && chosen[weightIndex] is { } weight)
            return new InvalidDataException($"{missing}, though it holds the weight '{weight.Name}': the PyTorch layer was built with bias=False. " +
                "Build the layer with bias: false to match it, or load with zeroAbsentBiases: true to set this bias to zero, which predicts as the layer without one (until training moves it); or with strict: false to keep its own.");
        return new InvalidDataException(missing + (renamed ? " (load with strict: false to keep the network's own)." :
            " (give a renaming when the file's names are a PyTorch model's module names, see PyTorchNames; or load with strict: false to keep the network's own)."));
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
