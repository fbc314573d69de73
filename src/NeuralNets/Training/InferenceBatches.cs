using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Training;

/// <summary>
/// Runs a network in inference mode on one batch after another for the evaluations (<see cref="Evaluator"/>, a trainer's
/// validation), through <see cref="Sequential{T}.Predict(Tensor{T}, Span{T})"/> where the network is a
/// <see cref="Sequential{T}"/>: on an inference copy, so that an evaluation on another thread neither overwrites what a
/// training step's backward pass needs nor answers from half-updated weights (it throws, as Predict does), and two
/// evaluations at once do not share buffers. Another layer runs its own <see cref="ILayer{T}.Forward"/>.
/// </summary>
/// <remarks>The outputs go to a buffer kept for the next batch: an evaluation allocates nothing per batch.</remarks>
internal sealed class InferenceBatches<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T> _network;
    private readonly int[] _outputShape;
    private readonly TensorBuffer<T> _outputs = new();

    /// <summary>For <paramref name="network"/>, whose per-sample output shape is <paramref name="outputShape"/>.</summary>
    public InferenceBatches(ILayer<T> network, IReadOnlyList<int> outputShape)
    {
        _network = network;
        _outputShape = [.. outputShape];
    }

    /// <summary>The outputs for <paramref name="batch"/>, valid until the next call.</summary>
    public Tensor<T> Run(Tensor<T> batch)
    {
        if (_network is not Sequential<T> sequential) return _network.Forward(batch, training: false);
        var output = _outputs.Get(batch.BatchSize(), _outputShape);
        sequential.Predict(batch, output.Span());
        return output;
    }
}
