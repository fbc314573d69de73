using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>
/// Inverted dropout as a student writes it, drawing its mask from a <see cref="Random"/> made once from the seed, so two
/// training passes on one input differ and nothing outside the layer can repeat them.
/// </summary>
public class StudentDropout(double probability, int seed) : ILayer<double>
{
    private double[] _mask = [];
    private readonly Random _random = new(seed);

    protected int Seed { get; } = seed;

    public IReadOnlyList<Parameter<double>> Parameters => [];

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

    public LayerDescription Describe() => new("StudentDropout", new Dictionary<string, double> { ["probability"] = probability, ["seed"] = Seed });

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        var x = new double[input.FlattenedLength];
        input.FlattenTo(x);
        _mask = new double[x.Length];
        var random = training ? PassRandom() : null;
        for (int i = 0; i < x.Length; i++)
        {
            _mask[i] = random is null ? 1 : random.NextDouble() < probability ? 0 : 1 / (1 - probability);
            x[i] *= _mask[i];
        }
        return Tensor.Create(x, input.Lengths);
    }

    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dx = new double[outputGradient.FlattenedLength];
        outputGradient.FlattenTo(dx);
        for (int i = 0; i < dx.Length; i++) dx[i] *= _mask[i];
        return Tensor.Create(dx, outputGradient.Lengths);
    }

    /// <summary>The generator this training pass draws from: here the one kept across passes.</summary>
    protected virtual Random PassRandom() => _random;
}

/// <summary><see cref="StudentDropout"/> made rewindable: each training pass draws from a generator made from the seed and <see cref="RandomPosition"/>.</summary>
public sealed class RewindableStudentDropout(double probability, int seed) : StudentDropout(probability, seed), IRandomStreamLayer
{
    public long RandomPosition { get; set; }

    protected override Random PassRandom() => new(HashCode.Combine(Seed, RandomPosition++));
}
