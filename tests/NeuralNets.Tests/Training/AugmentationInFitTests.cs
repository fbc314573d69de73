using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tests.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

public sealed class AugmentationInFitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // 24 two-class images of 1×6×6: a bright left or right half, plus noise.
    private static Dataset<float> Images(int seed, int count = 24)
    {
        var noise = TestTensors.Random<float>(seed, count, 1, 6, 6).ToArray();
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 6; x++)
                    noise[n * 36 + y * 6 + x] = 0.2f * noise[n * 36 + y * 6 + x] + ((x < 3) == (labels[n] == 0) ? 0.8f : 0f);
        }
        return Dataset<float>.FromLabels(TestTensors.Create(noise, count, 1, 6, 6), labels, 2);
    }

    private static readonly Dataset<float> Train = Images(1), Validation = Images(2, 10);
    private static readonly ImageAugmentation Augmentation = new() { CropPadding = 1, HorizontalFlip = true, NoiseStandardDeviation = 0.05, Seed = 9 };

    private static Sequential<float> Cnn() =>
        Network.Sequential<float>(1, 6, 6).Conv2D(3, kernel: 3, padding: 1).ReLU().Dropout(0.1).Flatten().Dense(2).Build(seed: 2);

    private static (Sequential<float> Network, IOptimizer<float> Optimizer, Trainer<float> Trainer) Build()
    {
        var network = Cnn();
        var optimizer = new Adam<float>(network.Parameters, 0.01);
        return (network, optimizer, new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer));
    }

    private static float[][] Weights(Sequential<float> network) => network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();

    [Fact]
    public void Fit_OneEpoch_TrainsOnEachSampleAugmentedByItsIndexWhateverTheShuffle()
    {
        // Keyed by the sample's index in the data set: the shuffled batches of Fit hold the rows of Apply(data, epoch 1).
        var options = new TrainingOptions { Epochs = 1, BatchSize = 5, Seed = 4 };
        var augmented = Build();
        augmented.Trainer.Fit(Train, options with { Augmentation = Augmentation }, cancellationToken: Token);
        var byHand = Build();
        byHand.Trainer.Fit(Augmentation.Apply(Train, epoch: 1), options, cancellationToken: Token);
        var clean = Build();
        clean.Trainer.Fit(Train, options, cancellationToken: Token);

        Weights(augmented.Network).Should().BeEquivalentTo(Weights(byHand.Network), o => o.WithStrictOrdering());
        Weights(augmented.Network).Should().NotBeEquivalentTo(Weights(clean.Network), o => o.WithStrictOrdering(), "the control: augmentation changed something");
    }

    [Fact]
    public void Fit_WithAugmentation_ValidationAndEvaluationSeeTheCleanData()
    {
        // Noise so large that an augmented validation set could not give the clean loss.
        var heavy = new ImageAugmentation { NoiseStandardDeviation = 3, Seed = 1 };
        var run = Build();
        var history = run.Trainer.Fit(Train, new TrainingOptions { Epochs = 2, BatchSize = 8, Augmentation = heavy }, Validation, cancellationToken: Token);
        var evaluation = run.Trainer.Evaluate(Validation, batchSize: 8);  // the validation pass's batches, so the same sums
        history.Last!.ValidationLoss.Should().Be(evaluation.Loss);
        history.Last.ValidationMetrics.Should().BeEquivalentTo(evaluation.Metrics);
    }

    public static TheoryData<string> Runs => new() { "augmentation", "adversarial", "augmentation then adversarial" };

    private static TrainingOptions Options(string run) => new()
    {
        Epochs = 4, BatchSize = 7, Seed = 3,
        Augmentation = run.StartsWith("augmentation", StringComparison.Ordinal) ? Augmentation : null,
        Adversarial = run.EndsWith("adversarial", StringComparison.Ordinal) ? new AdversarialTraining { Epsilon = 0.1, Fraction = 0.5 } : null,
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Fit_InterruptedAfterEpoch2AndResumed_MatchesTheStraightRunBitForBit(string run)
    {
        var straight = Build();
        var expected = straight.Trainer.Fit(Train, Options(run), Validation, cancellationToken: Token);

        string path = _temp.File("run.ckpt.json");
        var interrupted = Build();
        interrupted.Trainer.Fit(Train, Options(run), Validation, callbacks: [new CheckpointAndStop(2, path)], cancellationToken: Token).Epochs.Should().HaveCount(2);
        var resumed = Build();
        var history = resumed.Trainer.Fit(Train, Options(run), Validation, resumeFrom: path, cancellationToken: Token);

        Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
        CheckpointRuns.Figures(history).Should().Equal(CheckpointRuns.Figures(expected));
    }

    [Fact]
    public void Fit_AugmentationOnFlatSamples_SaysTheShape()
    {
        var flat = SyntheticData.GaussianBlobs<float>(pointsPerClass: 5);
        var network = Network.Sequential<float>(2).Dense(3).Build(seed: 1);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));
        var act = () => trainer.Fit(flat, new TrainingOptions { Augmentation = new ImageAugmentation { HorizontalFlip = true } }, cancellationToken: Token);
        act.Should().Throw<ArgumentException>().WithMessage("*Augmentation*[C, H, W]*[2]*");
    }

    [Fact]
    public void Fit_NegativeCropPadding_RejectedNamingIt()
    {
        var run = Build();
        var act = () => run.Trainer.Fit(Train, new TrainingOptions { Augmentation = new ImageAugmentation { CropPadding = -1 } }, cancellationToken: Token);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "CropPadding");
    }
}
