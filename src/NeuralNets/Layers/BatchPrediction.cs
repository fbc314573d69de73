using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// <see cref="Sequential{T}.Predict(Tensor{T})"/> on a batch cut into bands of samples, one per core: each part runs its
/// band through the whole network on an inference copy of its own. No layer then hands work to another core (a batch-64
/// MLP handed work over four times a call, and each layer's second core read rows the first had just written); each
/// core keeps its band's activations in its cache and reads the weights, which inference does not change, from its own.
/// </summary>
/// <remarks>
/// Only for networks whose every layer computes a sample's output from that sample alone in inference
/// (<see cref="SampleWise"/>): a sample's result then does not depend on which band holds it, nor on how many bands
/// there are, so the result is the same whatever the thread count, and the same as a single-band call.
/// </remarks>
internal sealed class BatchPrediction<T> : TeamWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Fewest samples per band: below it, the layers' own split across cores serves better (a few samples
    /// against a large weight: each core then reads only its share of the weight).</summary>
    public const int MinimumSamplesPerPart = 8;

    private readonly Sequential<T>[] _copies;
    private readonly Tensor<T> _input;
    private readonly T[] _result;
    private readonly int _samples, _outputLength;

    private BatchPrediction(Sequential<T>[] copies, Tensor<T> input, T[] result, int outputLength)
    {
        (_copies, _input, _result, _outputLength) = (copies, input, result, outputLength);
        _samples = input.BatchSize();
    }

    /// <summary>How many bands a batch of <paramref name="samples"/> is worth: one per thread of the team, at least
    /// <see cref="MinimumSamplesPerPart"/> samples each; 1 means the whole batch in one call.</summary>
    public static int PartsFor(int samples) => Math.Min(WorkerTeam.Size, samples / MinimumSamplesPerPart);

    /// <summary>Whether <paramref name="layer"/>'s inference gives each sample's output from that sample alone: the
    /// library's own layers do (a nested network when all of its layers do); a layer from elsewhere is not assumed to.</summary>
    public static bool SampleWise(ILayer<T> layer) =>
        layer is Sequential<T> nested ? nested.PredictsSampleWise : layer.GetType().Assembly == typeof(BatchPrediction<T>).Assembly;

    /// <summary>Predicts <paramref name="input"/> in <paramref name="parts"/> bands, each on a copy from <paramref name="copies"/>,
    /// into a new tensor of <paramref name="outputShape"/>.</summary>
    public static Tensor<T> Run(InferenceCopies<T> copies, Tensor<T> input, int parts, int[] outputShape)
    {
        int outputLength = 1;
        for (int i = 1; i < outputShape.Length; i++) outputLength *= outputShape[i];
        var result = new T[checked(input.BatchSize() * outputLength)];
        // Rented here, in part order, and given back in the same order: the next call then gives each part the copy it had,
        // so a copy's buffers stay in the cache of the core that runs that part (part p goes to worker p), rather than
        // move between cores with every call.
        var rented = new Sequential<T>[parts];
        try
        {
            for (int part = 0; part < parts; part++) rented[part] = copies.Rent();
            WorkerTeam.Run(new BatchPrediction<T>(rented, input, result, outputLength), parts);
        }
        finally
        {
            foreach (var copy in rented)
                if (copy is not null) copies.Return(copy);
        }
        return TensorMemory.Wrap(result, outputShape);
    }

    /// <inheritdoc/>
    public override void RunPart(int part, int parts)
    {
        int first = Start(part, parts), end = Start(part + 1, parts);
        if (end == first) return;
        var ranges = new NRange[_input.Rank];
        ranges[0] = new NRange(first, end);
        for (int i = 1; i < ranges.Length; i++) ranges[i] = NRange.All;
        // The band as a view of the caller's tensor: nothing copied before the first layer.
        var output = _copies[part].Forward(_input.Slice(ranges), training: false);
        output.Span().CopyTo(_result.AsSpan(first * _outputLength, (end - first) * _outputLength));
    }

    // Band boundaries on multiples of four samples (the dense product's tile height), the last band taking the rest.
    private int Start(int part, int parts) => part == parts ? _samples : _samples / 4 * part / parts * 4;
}
