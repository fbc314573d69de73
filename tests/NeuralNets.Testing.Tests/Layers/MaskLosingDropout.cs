using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>The library's Dropout with a student's Backward that passes the gradient through without the mask.</summary>
public sealed class MaskLosingDropout(double probability, int seed) : ILayer<double>, IRandomStreamLayer
{
    private readonly Dropout<double> _inner = new(probability, seed);

    public long RandomPosition { get => _inner.RandomPosition; set => _inner.RandomPosition = value; }

    public IReadOnlyList<Parameter<double>> Parameters => [];

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => _inner.OutputShape(inputShape);

    public LayerDescription Describe() => _inner.Describe();

    public Tensor<double> Forward(Tensor<double> input, bool training) => _inner.Forward(input, training);

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dx = new double[outputGradient.FlattenedLength];
        outputGradient.FlattenTo(dx);
        return Tensor.Create(dx, outputGradient.Lengths);
    }
}
