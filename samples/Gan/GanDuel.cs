using System.Numerics.Tensors;
using MathNet.Numerics.Distributions;
using NeuralNets;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Data;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Samples.Gan;

/// <summary>Figures of the duel at one moment.</summary>
public sealed record GanSnapshot(int Step, double DiscriminatorLoss, double GeneratorLoss, double DiscriminatorAccuracy, double GeneratedMean, double GeneratedStandardDeviation);

/// <summary>
/// Two dueling networks, as in the lecture: a generator turns noise into samples, a discriminator
/// tells them from real ones. The real data are a set of draws from N(mean, sd²) in one dimension, served in
/// shuffled mini-batches, so progress is visible as the generated samples' mean and spread.
/// </summary>
public sealed class GanDuel
{
    private const int NoiseSize = 4;
    private const int RealSamples = 8192;
    private readonly Random _random;
    private readonly int _batch;
    private readonly Sequential<double> _generator, _discriminator;
    private readonly Sgd<double> _generatorRule, _discriminatorRule;
    private readonly BinaryCrossEntropyWithLogits<double> _loss = new();
    private readonly double[] _noise, _ones, _zeros;
    private readonly Tensor<double> _noiseTensor, _onesTensor, _zerosTensor;
    private readonly MiniBatches<double> _realBatches;
    private MiniBatches<double>.Enumerator _realEpoch;
    private MiniBatch<double> _real;
    private double _discriminatorLoss, _generatorLoss, _discriminatorAccuracy;

    public GanDuel(int seed, double realMean = 4.0, double realStandardDeviation = 1.25, int batch = 64)
    {
        _random = new Random(seed);
        _batch = batch;
        _generator = Network.Sequential<double>(NoiseSize).Dense(16).Tanh().Dense(16).Tanh().Dense(1).Build(seed);
        _discriminator = Network.Sequential<double>(1).Dense(32).LeakyReLU(0.2).Dense(32).LeakyReLU(0.2).Dense(1).Build(seed + 1);
        _generatorRule = new Sgd<double>(_generator.Parameters, learningRate: 0.02);
        _discriminatorRule = new Sgd<double>(_discriminator.Parameters, learningRate: 0.02);
        _noise = new double[batch * NoiseSize];
        // Real draws, each labelled 1 (real), in shuffled batches of equal size: an epoch ends where a short batch would start.
        var draws = new double[RealSamples];
        for (int i = 0; i < draws.Length; i++) draws[i] = Normal.Sample(_random, realMean, realStandardDeviation);
        var realSet = new Dataset<double>(Tensor.Create(draws, [RealSamples, 1]), Tensor.Create(Enumerable.Repeat(1.0, RealSamples).ToArray(), [RealSamples, 1]));
        _realBatches = new MiniBatches<double>(realSet, batch, shuffle: true, seed: seed, dropLast: true);
        _realEpoch = _realBatches.NextEpoch().GetEnumerator();
        _ones = Enumerable.Repeat(1.0, batch).ToArray();
        _zeros = new double[batch];
        _noiseTensor = Tensor.Create(_noise, [batch, NoiseSize]);
        _onesTensor = Tensor.Create(_ones, [batch, 1]);
        _zerosTensor = Tensor.Create(_zeros, [batch, 1]);
    }

    /// <summary>Runs <paramref name="steps"/> rounds (one discriminator step, then one generator step each), reporting every <paramref name="reportEvery"/>.</summary>
    public GanSnapshot Train(int steps, int reportEvery = 0, Action<GanSnapshot>? report = null)
    {
        for (int step = 1; step <= steps; step++)
        {
            _real = NextRealBatch();
            _discriminatorRule.Step(DiscriminatorObjective);
            _generatorRule.Step(GeneratorObjective);
            if (reportEvery > 0 && step % reportEvery == 0) report?.Invoke(Snapshot(step));
        }
        return Snapshot(steps);
    }

    /// <summary>Draws <paramref name="count"/> samples from the generator.</summary>
    public double[] Generate(int count)
    {
        var noise = new double[count * NoiseSize];
        for (int i = 0; i < noise.Length; i++) noise[i] = Normal.Sample(_random, 0, 1);
        return _generator.Predict(Tensor.Create(noise, [count, NoiseSize])).ToArray();
    }

    // The discriminator learns: real → 1, generated → 0. The loss is the sum of both halves.
    private double DiscriminatorObjective()
    {
        foreach (var p in _discriminator.Parameters) p.ZeroGradient();
        DrawNoise();

        var realScores = _discriminator.Forward(_real.Features, training: true);
        int correct = CountPositive(realScores);
        double lossReal = _loss.Forward(realScores, _real.Targets);
        _discriminator.Backward(_loss.Backward());

        var fake = _generator.Forward(_noiseTensor, training: true);
        var fakeScores = _discriminator.Forward(fake, training: true);
        correct += _batch - CountPositive(fakeScores);
        double lossFake = _loss.Forward(fakeScores, _zerosTensor);
        _discriminator.Backward(_loss.Backward());

        _discriminatorAccuracy = correct / (2.0 * _batch);
        return _discriminatorLoss = lossReal + lossFake;
    }

    // The generator learns to make the discriminator say 1 ("non-saturating" loss): the gradient flows
    // back through the discriminator into the generated samples, then through the generator.
    private double GeneratorObjective()
    {
        foreach (var p in _generator.Parameters) p.ZeroGradient();
        DrawNoise();
        var fake = _generator.Forward(_noiseTensor, training: true);
        double loss = _loss.Forward(_discriminator.Forward(fake, training: true), _onesTensor);
        var fakeGradient = _discriminator.Backward(_loss.Backward());
        _generator.Backward(fakeGradient);
        // Backward through the discriminator also filled its gradients; its own step zeroes them first.
        return _generatorLoss = loss;
    }

    private MiniBatch<double> NextRealBatch()
    {
        if (!_realEpoch.MoveNext())
        {
            _realEpoch = _realBatches.NextEpoch().GetEnumerator();
            _realEpoch.MoveNext();
        }
        return _realEpoch.Current;
    }

    private void DrawNoise()
    {
        for (int i = 0; i < _noise.Length; i++) _noise[i] = Normal.Sample(_random, 0, 1);
    }

    private static int CountPositive(Tensor<double> scores)
    {
        int count = 0;
        foreach (double s in scores) if (s > 0) count++;
        return count;
    }

    private GanSnapshot Snapshot(int step)
    {
        var samples = Generate(2000);
        double mean = samples.Average();
        double sd = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (samples.Length - 1));
        return new GanSnapshot(step, _discriminatorLoss, _generatorLoss, _discriminatorAccuracy, mean, sd);
    }
}
