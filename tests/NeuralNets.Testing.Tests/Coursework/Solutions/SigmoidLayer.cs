using System.Numerics.Tensors;

namespace Coursework;

/// <summary>Reference solution: y = σ(x); dx = dy ⊙ y(1 − y).</summary>
public sealed partial class SigmoidLayer
{
    private double[] _y = [];
    private nint[] _shape = [];

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        _shape = input.Lengths.ToArray();
        _y = new double[input.FlattenedLength];
        input.FlattenTo(_y);
        for (int i = 0; i < _y.Length; i++) _y[i] = 1 / (1 + Math.Exp(-_y[i]));
        return Tensor.Create((double[])_y.Clone(), _shape);
    }

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dx = new double[_y.Length];
        outputGradient.FlattenTo(dx);
        for (int i = 0; i < dx.Length; i++) dx[i] *= _y[i] * (1 - _y[i]);
        return Tensor.Create(dx, _shape);
    }
}
