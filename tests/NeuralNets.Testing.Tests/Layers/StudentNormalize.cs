using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>
/// Batch normalisation without parameters over [N, F] as a student writes it: y = (x − μ) / σ with the batch's statistics
/// while training, x at inference; its Backward divides by σ and forgets that μ and σ depend on x too.
/// </summary>
public sealed class StudentNormalize : ILayer<double>
{
    private double[] _std = [];
    private nint[] _shape = [];
    private bool _training;

    public IReadOnlyList<Parameter<double>> Parameters => [];

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => [.. inputShape];

    public LayerDescription Describe() => LayerDescription.Of("BatchNorm1D");

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        _shape = input.Lengths.ToArray();
        _training = training;
        int n = (int)_shape[0], f = (int)_shape[1];
        var x = new double[input.FlattenedLength];
        input.FlattenTo(x);
        if (!training) return Tensor.Create(x, _shape);
        _std = new double[f];
        var y = new double[x.Length];
        for (int j = 0; j < f; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += x[i * f + j] / n;
            for (int i = 0; i < n; i++) variance += (x[i * f + j] - mean) * (x[i * f + j] - mean) / n;
            _std[j] = Math.Sqrt(variance + 1e-5);
            for (int i = 0; i < n; i++) y[i * f + j] = (x[i * f + j] - mean) / _std[j];
        }
        return Tensor.Create(y, _shape);
    }

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dx = new double[outputGradient.FlattenedLength];
        outputGradient.FlattenTo(dx);
        if (!_training) return Tensor.Create(dx, _shape);
        int f = (int)_shape[1];
        for (int i = 0; i < dx.Length; i++) dx[i] /= _std[i % f];
        return Tensor.Create(dx, _shape);
    }
}
