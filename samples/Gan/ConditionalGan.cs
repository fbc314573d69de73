using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Samples.Gan;

/// <summary>Mean figures of one epoch of a conditional GAN.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="DiscriminatorLoss">Mean of the discriminator's loss (real half plus fake half).</param>
/// <param name="GeneratorLoss">Mean of the generator's non-saturating loss, −log D(G(z, y), y).</param>
/// <param name="DiscriminatorAccuracy">Share of real and generated samples the discriminator called right (0.5 = fooled).</param>
public sealed record GanEpoch(int Epoch, double DiscriminatorLoss, double GeneratorLoss, double DiscriminatorAccuracy);

/// <summary>
/// A class-conditional GAN, as on the lecture's slide: the generator turns noise and a label into an image, the
/// discriminator judges an image together with the label it claims to show. Real images come from the public
/// <see cref="MiniBatches{T}"/> iterator (shuffled, seeded, equal batches); the noise and the generated labels from a
/// seeded <see cref="Random"/>, so the same seed trains the same networks.
/// </summary>
/// <remarks>
/// One round per real batch: the discriminator takes an Adam step on real (target 1, or <c>realTarget</c> for
/// one-sided label smoothing) and generated (target 0) samples, then the generator takes one, on the same generated batch, to
/// make the discriminator say 1. Every buffer is made once, so a round allocates nothing in this class.
/// </remarks>
public sealed class ConditionalGan
{
    private readonly Random _random;
    private readonly LabelConditioning _conditioning;
    private readonly int _batch, _noiseSize;
    private readonly MiniBatches<float> _batches;
    private readonly Adam<float> _generatorRule, _discriminatorRule;
    private readonly Func<float> _discriminatorObjective, _generatorObjective;
    private readonly BinaryCrossEntropyWithLogits<float> _loss = new();
    private readonly float[] _noise;
    private readonly int[] _realLabels, _fakeLabels;
    private readonly Tensor<float> _generatorInput, _discriminatorInput, _imageGradient, _realTargets, _fakeTargets, _generatorTargets;
    private MiniBatch<float> _real;
    private Tensor<float>? _fake;
    private double _discriminatorLoss, _generatorLoss;
    private int _correct;

    /// <summary>Sets up the duel.</summary>
    /// <param name="generator">Reads <c>[noise + classes]</c>, writes images of <see cref="LabelConditioning.ImageShape"/>.</param>
    /// <param name="discriminator">Reads <see cref="LabelConditioning.DiscriminatorInputShape"/>, writes one logit.</param>
    /// <param name="conditioning">How the label is joined to the networks' inputs.</param>
    /// <param name="data">Real images with their class labels.</param>
    /// <param name="noiseSize">Length of the noise vector z.</param>
    /// <param name="batchSize">Real (and generated) samples per round.</param>
    /// <param name="seed">Seeds the batches' order and the noise.</param>
    /// <param name="learningRate">Adam's rate for both networks (β₁ = 0.5, as DCGAN trains).</param>
    /// <param name="realTarget">The discriminator's target for real samples: 1, or a little less to keep it from growing overconfident.</param>
    public ConditionalGan(Sequential<float> generator, Sequential<float> discriminator, LabelConditioning conditioning, Dataset<float> data,
        int noiseSize, int batchSize, int seed, double learningRate = 2e-4, double realTarget = 1.0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noiseSize);
        if (batchSize <= 0 || batchSize > data.Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch must hold between 1 and the {data.Count} real samples.");
        if (!data.SampleShape.SequenceEqual(conditioning.ImageShape))
            throw new ArgumentException($"The real samples have shape [{string.Join(", ", data.SampleShape)}] but the generator makes [{string.Join(", ", conditioning.ImageShape)}].", nameof(data));
        Generator = generator;
        Discriminator = discriminator;
        _conditioning = conditioning;
        _batch = batchSize;
        _noiseSize = noiseSize;
        _random = new Random(seed);
        _batches = new MiniBatches<float>(data, batchSize, shuffle: true, seed: seed, dropLast: true);
        _generatorRule = new Adam<float>(generator.Parameters, learningRate, beta1: 0.5);
        _discriminatorRule = new Adam<float>(discriminator.Parameters, learningRate, beta1: 0.5);
        _discriminatorObjective = DiscriminatorObjective;
        _generatorObjective = GeneratorObjective;
        _noise = new float[batchSize * noiseSize];
        _realLabels = new int[batchSize];
        _fakeLabels = new int[batchSize];
        _generatorInput = Tensor.Create(new float[batchSize * (noiseSize + conditioning.ClassCount)], [batchSize, noiseSize + conditioning.ClassCount]);
        _discriminatorInput = Tensor.Create(new float[batchSize * conditioning.DiscriminatorInputShape.Aggregate(1, (a, b) => a * b)],
            [batchSize, .. conditioning.DiscriminatorInputShape.Select(d => (nint)d)]);
        _imageGradient = Tensor.Create(new float[batchSize * conditioning.ImageSize], [batchSize, .. conditioning.ImageShape.Select(d => (nint)d)]);
        _realTargets = Tensor.Create(Enumerable.Repeat((float)realTarget, batchSize).ToArray(), [batchSize, 1]);
        _fakeTargets = Tensor.Create(new float[batchSize], [batchSize, 1]);
        _generatorTargets = Tensor.Create(Enumerable.Repeat(1f, batchSize).ToArray(), [batchSize, 1]);
    }

    /// <summary>The generator: noise ⊕ one-hot label → image.</summary>
    public Sequential<float> Generator { get; }

    /// <summary>The discriminator: image ⊕ label → logit of "real".</summary>
    public Sequential<float> Discriminator { get; }

    /// <summary>Rounds per epoch (real batches; a short last batch is dropped).</summary>
    public int RoundsPerEpoch => _batches.BatchesPerEpoch;

    /// <summary>Length of the noise vector z.</summary>
    public int NoiseSize => _noiseSize;

    /// <summary>Runs one epoch: one round per real batch; <paramref name="afterRound"/> is told after each.</summary>
    public GanEpoch TrainEpoch(Action? afterRound = null)
    {
        double discriminatorLoss = 0, generatorLoss = 0;
        long correct = 0;
        int rounds = 0, epoch = _batches.EpochsStarted + 1;
        foreach (var batch in _batches.NextEpoch())
        {
            _real = batch;
            _discriminatorRule.Step(_discriminatorObjective);
            _generatorRule.Step(_generatorObjective);
            discriminatorLoss += _discriminatorLoss;
            generatorLoss += _generatorLoss;
            correct += _correct;
            rounds++;
            afterRound?.Invoke();
        }
        return new GanEpoch(epoch, discriminatorLoss / rounds, generatorLoss / rounds, correct / (2.0 * _batch * rounds));
    }

    // The discriminator learns real → 1, generated → 0, each half with the label that goes with the image.
    private float DiscriminatorObjective()
    {
        Discriminator.ZeroGradients();
        ReadOnlySpan<float> targets = _real.Targets.Span();
        for (int n = 0; n < _batch; n++) _realLabels[n] = (int)targets[n];
        _conditioning.DiscriminatorInput(_real.Features, _realLabels, _discriminatorInput);
        var realScores = Discriminator.Forward(_discriminatorInput, training: true);
        int correct = CountPositive(realScores);
        float lossReal = _loss.Forward(realScores, _realTargets);
        Discriminator.Backward(_loss.Backward());

        _fake = Generate();
        _conditioning.DiscriminatorInput(_fake, _fakeLabels, _discriminatorInput);
        var fakeScores = Discriminator.Forward(_discriminatorInput, training: true);
        correct += _batch - CountPositive(fakeScores);
        float lossFake = _loss.Forward(fakeScores, _fakeTargets);
        Discriminator.Backward(_loss.Backward());

        _correct = correct;
        _discriminatorLoss = lossReal + lossFake;
        return lossReal + lossFake;
    }

    // The generator learns to make the discriminator say 1 for its image and label (the non-saturating loss); the
    // gradient flows back through the (just updated) discriminator into the image, then through the generator, whose
    // pass over this round's batch is still open (as PyTorch reuses `fake` after `fake.detach()` fed the discriminator).
    // Backward through the discriminator also fills the discriminator's gradients; its own step zeroes them first.
    private float GeneratorObjective()
    {
        Generator.ZeroGradients();
        var fake = _fake ?? throw new InvalidOperationException("The generator's step comes after the discriminator's.");
        _conditioning.DiscriminatorInput(fake, _fakeLabels, _discriminatorInput);
        float loss = _loss.Forward(Discriminator.Forward(_discriminatorInput, training: true), _generatorTargets);
        _conditioning.ImageGradient(Discriminator.Backward(_loss.Backward()), _imageGradient);
        Generator.Backward(_imageGradient);
        _generatorLoss = loss;
        return loss;
    }

    // Fresh noise and uniformly drawn labels for a batch of generated images.
    private Tensor<float> Generate()
    {
        GaussianNoise.Fill(_random, _noise);
        for (int n = 0; n < _batch; n++) _fakeLabels[n] = _random.Next(_conditioning.ClassCount);
        _conditioning.GeneratorInput(_noise, _fakeLabels, _generatorInput.Span());
        return Generator.Forward(_generatorInput, training: true);
    }

    /// <summary>
    /// Images for the given labels from noise drawn with <paramref name="seed"/> (inference mode; the training's own
    /// random stream is not touched), <c>[labels, ...ImageShape]</c>.
    /// </summary>
    public Tensor<float> Sample(ReadOnlySpan<int> labels, int seed)
    {
        var noise = new float[labels.Length * _noiseSize];
        GaussianNoise.Fill(new Random(seed), noise);
        var input = new float[labels.Length * (_noiseSize + _conditioning.ClassCount)];
        _conditioning.GeneratorInput(noise, labels, input);
        return Generator.Predict(TensorMemory.Wrap(input, [labels.Length, _noiseSize + _conditioning.ClassCount]));
    }

    private static int CountPositive(Tensor<float> scores)
    {
        int count = 0;
        foreach (float s in scores.Span()) if (s > 0) count++;
        return count;
    }
}
