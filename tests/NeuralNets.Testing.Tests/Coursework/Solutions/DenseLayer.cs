using System.Numerics.Tensors;

namespace Coursework;

/// <summary>Reference solution: y = x·Wᵀ + b; dW += dyᵀ·x, db += Σₙ dy, dx = dy·W.</summary>
public sealed partial class DenseLayer
{
    private double[] _x = [];
    private int _batch;

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        if (input.Rank != 2 || input.Lengths[1] != Inputs)
            throw new ArgumentException($"{this} expects input of shape [N, {Inputs}] but got [{string.Join(", ", input.Lengths.ToArray())}].", nameof(input));
        _batch = (int)input.Lengths[0];
        _x = new double[_batch * Inputs];
        input.FlattenTo(_x);
        var y = new double[_batch * Outputs];
        for (int n = 0; n < _batch; n++)
            for (int o = 0; o < Outputs; o++)
            {
                double sum = Bias.ValueSpan[o];
                for (int i = 0; i < Inputs; i++) sum += _x[n * Inputs + i] * Weight.ValueSpan[o * Inputs + i];
                y[n * Outputs + o] = sum;
            }
        return Tensor.Create(y, [_batch, Outputs]);
    }

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dy = new double[_batch * Outputs];
        outputGradient.FlattenTo(dy);
        var dx = new double[_batch * Inputs];
        for (int n = 0; n < _batch; n++)
            for (int o = 0; o < Outputs; o++)
            {
                double d = dy[n * Outputs + o];
                Bias.GradientSpan[o] += d;
                for (int i = 0; i < Inputs; i++)
                {
                    Weight.GradientSpan[o * Inputs + i] += d * _x[n * Inputs + i];
                    dx[n * Inputs + i] += d * Weight.ValueSpan[o * Inputs + i];
                }
            }
        return Tensor.Create(dx, [_batch, Inputs]);
    }
}
