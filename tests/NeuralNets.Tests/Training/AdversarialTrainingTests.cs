using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

public class AdversarialTrainingTests
{
    private static readonly Dataset<double> Blobs = SyntheticData.GaussianBlobs<double>(pointsPerClass: 4, classes: 3, standardDeviation: 0.5, seed: 11);

    private static Sequential<double> Linear() => Network.Sequential<double>(2).Dense(3).Build(seed: 7);

    private static double[][] Weights(Sequential<double> network) => network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();

    private static Sequential<double> TrainOneStep(Dataset<double> data, AdversarialTraining? adversarial)
    {
        var network = Linear();
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.5));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = data.Count, Shuffle = false, Adversarial = adversarial }, cancellationToken: TestContext.Current.CancellationToken);
        return network;
    }

    /// <summary>
    /// FGSM by hand for a linear classifier z = Wx + b under the mean cross-entropy of N samples:
    /// ∇ₓL = Wᵀ(softmax(z) − onehot(y)) / N, and x′ = x + ε·sign(∇ₓL) for the first <paramref name="replaced"/> samples.
    /// </summary>
    private static double[] HandMadeBatch(Sequential<double> network, Dataset<double> data, double epsilon, int replaced)
    {
        var w = ((Dense<double>)network.Layers[0]).Weight.ValueSpan.ToArray();
        var b = ((Dense<double>)network.Layers[0]).Bias!.ValueSpan.ToArray();
        var x = data.Features.ToArray();
        var y = data.Targets.ToArray();
        int n = data.Count;
        for (int s = 0; s < replaced; s++)
        {
            var z = new double[3];
            for (int k = 0; k < 3; k++) z[k] = b[k] + w[k * 2] * x[s * 2] + w[k * 2 + 1] * x[s * 2 + 1];
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            var delta = z.Select((v, k) => Math.Exp(v - max) / sum - (k == (int)y[s] ? 1 : 0)).ToArray();
            for (int i = 0; i < 2; i++)
            {
                double g = (delta[0] * w[i] + delta[1] * w[2 + i] + delta[2] * w[4 + i]) / n;
                Math.Abs(g).Should().BeGreaterThan(1e-9, "the example is chosen so that no sign is in doubt");
                x[s * 2 + i] += epsilon * Math.Sign(g);
            }
        }
        return x;
    }

    [Theory]
    [InlineData(1.0, 12)]
    [InlineData(0.5, 6)]
    [InlineData(0.3, 4)]  // ⌊0.3·12 + ½⌋ = 4
    public void Fit_OneStep_TrainsOnTheBatchWithItsFirstSamplesReplacedByHandMadeFgsm(double fraction, int replaced)
    {
        var handMade = HandMadeBatch(Linear(), Blobs, epsilon: 0.25, replaced);
        var expected = TrainOneStep(new Dataset<double>(TestTensors.Create(handMade, Blobs.Count, 2), Blobs.Targets, 3), adversarial: null);

        var trained = TrainOneStep(Blobs, new AdversarialTraining { Epsilon = 0.25, Fraction = fraction, Min = -10, Max = 10 });

        Weights(trained).Should().BeEquivalentTo(Weights(expected), o => o.WithStrictOrdering());
        Weights(trained).Should().NotBeEquivalentTo(Weights(TrainOneStep(Blobs, null)), o => o.WithStrictOrdering(), "the control: clean training differs");
    }

    [Fact]
    public void Fit_OneStep_ClipsTheAdversarialSamplesIntoTheValidRange()
    {
        var data = new Dataset<double>(TestTensors.Create(new[] { 0.0, 1.0, 0.5, 0.5 }, 2, 2), TestTensors.Create(new[] { 0.0, 2.0 }, 2), 3);
        var handMade = HandMadeBatch(Linear(), data, epsilon: 0.75, replaced: 2).Select(v => Math.Clamp(v, 0, 1)).ToArray();
        var expected = TrainOneStep(new Dataset<double>(TestTensors.Create(handMade, 2, 2), data.Targets, 3), adversarial: null);

        var trained = TrainOneStep(data, new AdversarialTraining { Epsilon = 0.75, Fraction = 1 });

        Weights(trained).Should().BeEquivalentTo(Weights(expected), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_SameSeedTwice_BitIdenticalWeightsAndLosses()
    {
        static (double[][] Weights, double[] Losses) Run()
        {
            var network = Network.Sequential<double>(2).Dense(16).ReLU().Dropout(0.2).Dense(3).Build(seed: 3);
            var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(network.Parameters, 0.01));
            var history = trainer.Fit(SyntheticData.GaussianBlobs<double>(pointsPerClass: 40, seed: 2),
                new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 5, Adversarial = new AdversarialTraining { Epsilon = 0.3, Min = -5, Max = 5 } }, cancellationToken: TestContext.Current.CancellationToken);
            return (Weights(network), history.Epochs.Select(e => e.TrainLoss).ToArray());
        }

        var (w1, l1) = Run();
        var (w2, l2) = Run();
        w2.Should().BeEquivalentTo(w1, o => o.WithStrictOrdering());
        l2.Should().Equal(l1);
    }

    [Fact]
    public void Fit_FractionOne_MatchesTrainingOnTheLibrarysFgsmExamples()
    {
        // One SGD step with Fraction = 1 must be −η·∇θL(x′): the attack's own backward pass leaves no gradient behind.
        var network = Linear();
        var data = Blobs;
        new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.5))
            .Fit(data, new TrainingOptions { Epochs = 1, BatchSize = data.Count, Shuffle = false, Adversarial = new AdversarialTraining { Epsilon = 0.25, Fraction = 1, Min = -10, Max = 10 } }, cancellationToken: TestContext.Current.CancellationToken);
        var attacked = Adversarial.FastGradientSign(Linear(), new SoftmaxCrossEntropy<double>(), data.Features, data.Targets, 0.25, -10, 10);
        var expected = TrainOneStep(new Dataset<double>(attacked, data.Targets, 3), adversarial: null);
        Weights(network).Should().BeEquivalentTo(Weights(expected), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_AdversarialTraining_RaisesAccuracyUnderAttackOnBlobs()
    {
        var train = SyntheticData.GaussianBlobs<double>(pointsPerClass: 100, classes: 3, standardDeviation: 0.5, seed: 3);
        double AccuracyUnderAttack(AdversarialTraining? adversarial)
        {
            var network = Network.Sequential<double>(2).Dense(32).ReLU().Dense(3).Build(seed: 4);
            var loss = new SoftmaxCrossEntropy<double>();
            new Trainer<double>(network, loss, new Adam<double>(network.Parameters, 0.01))
                .Fit(train, new TrainingOptions { Epochs = 30, BatchSize = 32, Seed = 1, Adversarial = adversarial }, cancellationToken: TestContext.Current.CancellationToken);
            var attacked = Adversarial.FastGradientSign(network, loss, train.Features, train.Targets, 1.0, -10, 10);
            return network.Evaluate(new Dataset<double>(attacked, train.Targets, 3), loss).Metrics.Single().Value;
        }

        double plain = AccuracyUnderAttack(null);
        double defended = AccuracyUnderAttack(new AdversarialTraining { Epsilon = 1.0, Fraction = 0.5, Min = -10, Max = 10 });
        defended.Should().BeGreaterThan(plain + 0.05, $"plain {plain:F3}, defended {defended:F3}");
    }

    public static TheoryData<AdversarialTraining, string, string> BadOptions => new()
    {
        { new AdversarialTraining { Epsilon = -0.1 }, "Epsilon", "*-0.1*" },
        { new AdversarialTraining { Epsilon = double.NaN }, "Epsilon", "*NaN*" },
        { new AdversarialTraining { Epsilon = 0 }, "Epsilon", "*positive*0*" },
        { new AdversarialTraining { Fraction = 0 }, "Fraction", "*(0, 1]*0*" },
        { new AdversarialTraining { Fraction = 1.5 }, "Fraction", "*(0, 1]*1.5*" },
        { new AdversarialTraining { Min = 1, Max = 0 }, "Min", "*[1, 0]*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Fit_BadAdversarialOptions_RejectedNamingTheValue(AdversarialTraining bad, string parameter, string message)
    {
        var network = Linear();
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        var before = Weights(network);
        var act = () => trainer.Fit(Blobs, new TrainingOptions { Adversarial = bad }, cancellationToken: TestContext.Current.CancellationToken);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == parameter).WithMessage(message);
        Weights(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), "nothing trains on rejected options");
    }
}
