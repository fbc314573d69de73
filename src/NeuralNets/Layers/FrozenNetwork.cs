using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Serialization;

namespace NeuralNets.Layers;

/// <summary>
/// A network fixed for inference (<see cref="Sequential{T}.Freeze"/>): a private copy of its layers and parameters as they
/// were when it was frozen, which nothing can change afterwards. Training the source network or writing its weights does
/// not reach it. Because its weights never change, it lays the dense layers' weights out once for the product kernels,
/// as ONNX Runtime does with a model's constant weights, where a <see cref="Sequential{T}"/> must read its weights where they
/// are on every call (they may have been written since). Its answers are those the source's
/// <see cref="Sequential{T}.Predict(Tensor{T})"/> gave when it was frozen, bit for bit.
/// </summary>
/// <remarks>Safe from any number of threads at once, with no turns to take: nothing trains it. Serve from this; keep
/// training the <see cref="Sequential{T}"/> and freeze it again to serve new weights.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class FrozenNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private FrozenNetwork(Sequential<T> copy) => Network = copy;

    /// <summary>The private copy the predictions run on; never handed out (its weights must not change).</summary>
    internal Sequential<T> Network { get; }

    /// <summary>Freezes <paramref name="network"/>; see <see cref="Sequential{T}.Freeze"/>.</summary>
    internal static FrozenNetwork<T> Of(Sequential<T> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.InputShape is null)
            throw new ArgumentException("Only a network that knows its input shape can be frozen: build it with Network.Sequential<T>(inputShape) or new Sequential<T>(inputShape, layers).", nameof(network));
        // Copied through the saved form (the model file's checks included), so that every layer kind the files know, the
        // user's registered kinds too, is copied with all its settings and state (a batch norm's running statistics, say).
        // Between training steps, as a seqlock reads: a copy that overlapped an optimizer step would hold half-updated weights.
        long marks = network.TrainingStepMarks;
        Sequential<T> copy;
        try
        {
            copy = ModelFile.Build<T>(ModelFile.Document(network, "the network"), "the network being frozen");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The network cannot be frozen, because it is copied through its saved form: {e.Message}", nameof(network), e);
        }
        if (!network.NoStepSince(marks))
            throw new InvalidOperationException("Freeze overlapped an optimizer step: another thread is training this network, so its weights were changing. " +
                "Freeze between training steps.");
        PackWeights(copy);
        GemmDot.PreparePacked<T>();
        return new FrozenNetwork<T>(copy);
    }

    private static void PackWeights(Sequential<T> network)
    {
        foreach (var layer in network.Layers)
        {
            if (layer is Dense<T> dense) dense.PackWeightForInference();
            else if (layer is Sequential<T> inner) PackWeights(inner);
            else if (layer is Residual<T> block)
                foreach (var branch in block.Branches) PackWeights(branch);
        }
    }

    /// <summary>The shape of one input sample.</summary>
    public IReadOnlyList<int> InputShape => Network.InputShape!;

    /// <summary>The shape of one output sample.</summary>
    public IReadOnlyList<int> OutputShape => Network.OutputShapeOfNetwork!;

    /// <summary>The layers' descriptions, first to last, as <see cref="Sequential{T}.DescribeLayers"/> gives them.</summary>
    public IReadOnlyList<LayerDescription> DescribeLayers() => Network.DescribeLayers();

    /// <summary>Runs inference on a batch and returns a tensor the caller owns, as <see cref="Sequential{T}.Predict(Tensor{T})"/> does.</summary>
    public Tensor<T> Predict(Tensor<T> batch) => Network.Predict(batch);

    /// <summary>Runs inference on a batch into <paramref name="output"/>, as <see cref="Sequential{T}.Predict(Tensor{T}, Span{T})"/> does.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not exactly as long as the batch's outputs.</exception>
    public void Predict(Tensor<T> batch, Span<T> output) => Network.Predict(batch, output);

    /// <summary>Runs inference on one sample (its elements in row-major order) and returns its output.</summary>
    public T[] Predict(ReadOnlySpan<T> sample) => Network.Predict(sample);

    /// <summary>Runs inference on one sample into <paramref name="output"/>, as <see cref="Sequential{T}.Predict(ReadOnlySpan{T}, Span{T})"/> does.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not exactly as long as one sample's output.</exception>
    public void Predict(ReadOnlySpan<T> sample, Span<T> output) => Network.Predict(sample, output);

    /// <summary>Prints like the network it was frozen from, marked frozen.</summary>
    public override string ToString() => "Frozen " + Network;
}
