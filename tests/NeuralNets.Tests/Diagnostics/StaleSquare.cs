using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>y = x ⊙ x, whose Backward reads the input of the Forward before the last: right whenever the last two passes had the same input.</summary>
internal sealed class StaleSquare : ILayer<double>
{
    private double[] _previous = [], _last = [];
    private nint[] _shape = [];

    public IReadOnlyList<Parameter<double>> Parameters => [];

    public Tensor<double> Forward(Tensor<double> input, bool training = false)
    {
        _previous = _last;
        _last = input.ToArray();
        _shape = input.Lengths.ToArray();
        return Tensor.Create(_last.Select(x => x * x).ToArray(), _shape);
    }

    // dx = 2·x ⊙ dy, with the x of the wrong pass.
    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var x = _previous.Length == _last.Length ? _previous : _last;
        var dy = outputGradient.ToArray();
        return Tensor.Create(dy.Select((g, i) => 2 * x[i] * g).ToArray(), _shape);
    }

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => [.. inputShape];

    public LayerDescription Describe() => LayerDescription.Of("StaleSquare");
}
