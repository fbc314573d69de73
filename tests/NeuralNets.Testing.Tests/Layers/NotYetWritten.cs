using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>A layer as the coursework template hands it out: Forward and Backward still to write.</summary>
public sealed class NotYetWritten : ILayer<double>
{
    public IReadOnlyList<Parameter<double>> Parameters => [];

    public Tensor<double> Forward(Tensor<double> input, bool training) => throw new NotImplementedException("Forward is yours to write.");

    public Tensor<double> Backward(Tensor<double> outputGradient) => throw new NotImplementedException("Backward is yours to write.");

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => [.. inputShape];

    public LayerDescription Describe() => LayerDescription.Of("NotYetWritten");
}
