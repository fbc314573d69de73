using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Stands in an inference copy for a layer that cannot make one (<see cref="ILayer{T}.CreateInferenceCopy"/>
/// returned null): every copy shares the one layer, and calls take turns on it under a lock, each copying the
/// layer's output into a buffer of its own before the next call may overwrite it. Correct, not parallel.
/// </summary>
internal sealed class TakingTurns<T>(ILayer<T> layer) : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new();

    public IReadOnlyList<Parameter<T>> Parameters => layer.Parameters;

    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        if (training) throw CannotTrain();
        lock (layer)
        {
            var output = layer.Forward(input, training: false);
            var own = _output.GetLike(output);
            output.Span().CopyTo(own.Span());
            return own;
        }
    }

    public Tensor<T> Backward(Tensor<T> outputGradient) =>
        throw new InvalidOperationException($"{layer} is shared by inference copies; it cannot train through one.");

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => layer.OutputShape(inputShape);

    public LayerDescription Describe() => layer.Describe();

    public ILayer<T> CreateInferenceCopy() => new TakingTurns<T>(layer);

    public override string ToString() => layer.ToString() ?? "";

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException CannotTrain() => new($"{layer} is shared by inference copies; it cannot train through one.");
}
