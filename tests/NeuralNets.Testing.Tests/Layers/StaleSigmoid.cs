using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>
/// A sigmoid that keeps its outputs in two buffers used in turn, and whose Backward reads the one of the Forward before
/// the last: right whenever the last two passes had the same input.
/// </summary>
public sealed class StaleSigmoid : ILayer<double>
{
    private readonly double[][] _outputs = [[], []];
    private int _turn;
    private nint[] _shape = [];

    public IReadOnlyList<Parameter<double>> Parameters => [];

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => [.. inputShape];

    public LayerDescription Describe() => LayerDescription.Of("StaleSigmoid");

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        _turn ^= 1;
        _shape = input.Lengths.ToArray();
        var x = new double[input.FlattenedLength];
        input.FlattenTo(x);
        var y = _outputs[_turn] = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = 1 / (1 + Math.Exp(-x[i]));
        return Tensor.Create((double[])y.Clone(), _shape);
    }

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var stale = _outputs[_turn ^ 1];
        var y = stale.Length == outputGradient.FlattenedLength ? stale : _outputs[_turn];
        var dx = new double[outputGradient.FlattenedLength];
        outputGradient.FlattenTo(dx);
        for (int i = 0; i < dx.Length; i++) dx[i] *= y[i] * (1 - y[i]);
        return Tensor.Create(dx, _shape);
    }
}
