using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNets.Layers;
using NeuralNets.Training;

namespace NeuralNets.Interop;

/// <summary>What a network's tensor in a safetensors file holds: a parameter, or one of a BatchNorm layer's buffers.</summary>
internal enum NetworkTensorKind
{
    /// <summary>A parameter: <c>"0.weight"</c>.</summary>
    Parameter,

    /// <summary>A BatchNorm layer's running mean: <c>"1.running_mean"</c>.</summary>
    RunningMean,

    /// <summary>A BatchNorm layer's running variance: <c>"1.running_var"</c>.</summary>
    RunningVariance,

    /// <summary>A BatchNorm layer's count of training batches, an int64 scalar: <c>"1.num_batches_tracked"</c>.</summary>
    BatchesTracked,
}

/// <summary>
/// One tensor of a network under its name in PyTorch's <c>state_dict</c>: every parameter, and the three buffers PyTorch
/// keeps for each BatchNorm layer beside its weight and bias. A network's file holds exactly these, so that a PyTorch
/// model of the same architecture loads it with <c>load_state_dict(strict=True)</c>, and a PyTorch model's file fills them all.
/// </summary>
internal sealed class NetworkTensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's name of a BatchNorm layer's count of training batches.</summary>
    public const string BatchesTrackedName = "num_batches_tracked";

    /// <summary>The dtype of <see cref="NetworkTensorKind.BatchesTracked"/>: PyTorch's <c>torch.long</c>.</summary>
    public const string CountDType = "I64";

    /// <summary>The buffers PyTorch keeps for a BatchNorm layer, in its order: the loader counts on the mean, the variance and the count following one another.</summary>
    public static readonly (string Name, NetworkTensorKind Kind)[] BatchNormBuffers =
    [
        (RunningStatisticsCopy<T>.MeanName, NetworkTensorKind.RunningMean),
        (RunningStatisticsCopy<T>.VarianceName, NetworkTensorKind.RunningVariance),
        (BatchesTrackedName, NetworkTensorKind.BatchesTracked),
    ];

    private NetworkTensor(string name, NetworkTensorKind kind, Parameter<T>? parameter, BatchNorm<T>? layer) =>
        (Name, Kind, Parameter, Layer) = (name, kind, parameter, layer);

    /// <summary>The name in the network, e.g. <c>"0.weight"</c>, <c>"2.0.running_var"</c>.</summary>
    public string Name { get; }

    /// <summary>What the tensor holds.</summary>
    public NetworkTensorKind Kind { get; }

    /// <summary>The parameter, for <see cref="NetworkTensorKind.Parameter"/>.</summary>
    public Parameter<T>? Parameter { get; }

    /// <summary>The BatchNorm layer whose buffer this is, for the other kinds.</summary>
    public BatchNorm<T>? Layer { get; }

    /// <summary>
    /// Every tensor of <paramref name="network"/>: its parameters in order, then each BatchNorm layer's running mean,
    /// running variance and batch count, in that order and one layer after the other (nested networks' layers too).
    /// </summary>
    public static List<NetworkTensor<T>> Of(Sequential<T> network)
    {
        var tensors = network.Parameters.Select(p => new NetworkTensor<T>(p.Name, NetworkTensorKind.Parameter, p, null)).ToList();
        foreach (var (layer, place) in BatchNormLayers.Of(network))
            foreach (var (name, kind) in BatchNormBuffers) tensors.Add(new(BatchNormLayers.StatisticName(place, name), kind, null, layer));
        return tensors;
    }

    /// <summary>The dtype the values of <typeparamref name="T"/> are written as: F32 or F64.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static string FloatDType => typeof(T) == typeof(float) ? "F32" : typeof(T) == typeof(double) ? "F64"
        : throw new NotSupportedException($"safetensors files hold float or double parameters, not {typeof(T).Name}.");

    /// <summary>The dtype written: <see cref="CountDType"/> for the batch count, <see cref="FloatDType"/> otherwise.</summary>
    public string DType => Kind == NetworkTensorKind.BatchesTracked ? CountDType : FloatDType;

    /// <summary>The shape: the parameter's, <c>[C]</c> for a running statistic, <c>[]</c> (a scalar) for the batch count.</summary>
    public long[] Shape => Kind switch
    {
        NetworkTensorKind.Parameter => [.. Parameter!.Shape.Select(d => (long)d)],
        NetworkTensorKind.BatchesTracked => [],
        _ => [Layer!.Features],
    };

    /// <summary>The values as the file stores them, little-endian.</summary>
    public byte[] Bytes()
    {
        if (Kind == NetworkTensorKind.BatchesTracked)
        {
            var count = new byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(count, Layer!.BatchesTracked);
            return count;
        }
        ReadOnlySpan<T> values = Kind switch
        {
            NetworkTensorKind.Parameter => Parameter!.ValueSpan,
            NetworkTensorKind.RunningMean => Layer!.RunningMean,
            _ => Layer!.RunningVariance,
        };
        // Copied as they lie in memory: little-endian on x64 and Arm64, as the format wants.
        return MemoryMarshal.AsBytes(values).ToArray();
    }
}
