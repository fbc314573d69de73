using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

/// <summary>Training never ends with non-finite weights or loss unnoticed, and says where it went wrong.</summary>
public class TrainerDivergenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Dataset<float> Blobs() => SyntheticData.GaussianBlobs<float>(pointsPerClass: 16, classes: 2, seed: 1);

    private static Sequential<float> Mlp(int seed) => Network.Sequential<float>(2).Dense(8).ReLU().Dense(2).Build(seed);

    private static float[][] Weights(Sequential<float> network) => network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();

    [Fact]
    public void Fit_HugeRateOnlyStep_ThrowsAtThatStepAndRestoresTheStartingWeights()
    {
        var network = Mlp(seed: 3);
        var start = Weights(network);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, learningRate: 1e38));

        var act = () => trainer.Fit(Blobs(), new TrainingOptions { Epochs = 1, BatchSize = 32 }, cancellationToken: None);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        (thrown.Epoch, thrown.Batch).Should().Be((1, 1));
        thrown.Message.Should().Contain("epoch 1, batch 1");
        thrown.WeightsRestored.Should().BeTrue();
        Weights(network).Should().BeEquivalentTo(start, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_NaNWeightBehindReLU_LossTurnsNaNAndTheStepBeforeIsRestored()
    {
        var network = Mlp(seed: 4);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));
        var options = new TrainingOptions
        {
            Epochs = 3, BatchSize = 8,
            OnEpochStart = epoch => { if (epoch == 2) network.Parameters[0].ValueSpan[0] = float.NaN; },
        };

        var act = () => trainer.Fit(Blobs(), options, cancellationToken: None);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        (thrown.Epoch, thrown.Batch).Should().Be((2, 1));
        thrown.Parameter.Should().BeNull("the loss, not the weight check, found it: ReLU no longer hides the NaN");
        float.IsNaN((float)thrown.Loss).Should().BeTrue();
        thrown.WeightsRestored.Should().BeTrue();
        Weights(network).SelectMany(w => w).Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Fit_MinusInfinityWeightBehindReLUWithFiniteLoss_WeightCheckNamesTheParameter()
    {
        // Positive inputs: the unit's pre-activation is −∞, ReLU gives 0, the loss stays finite and the gradient 0.
        var random = new Random(5);
        var rows = Enumerable.Range(0, 32).Select(_ => new[] { 0.1f + (float)random.NextDouble(), 0.1f + (float)random.NextDouble() }).ToArray();
        var data = Dataset<float>.FromLabels(rows, Enumerable.Range(0, 32).Select(i => i % 2).ToArray(), 2);
        var network = Mlp(seed: 6);
        float[][]? afterFirstEpoch = null;
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = 8,
            OnEpochStart = epoch =>
            {
                if (epoch != 2) return;
                afterFirstEpoch = Weights(network);
                network.Parameters[0].ValueSpan[..2].Fill(float.NegativeInfinity); // unit 0's weights
            },
        };

        var act = () => trainer.Fit(data, options, cancellationToken: None);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        (thrown.Epoch, thrown.Batch, thrown.Parameter).Should().Be((2, 1, network.Parameters[0].Name));
        thrown.WeightsRestored.Should().BeTrue();
        Weights(network).Should().BeEquivalentTo(afterFirstEpoch, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_WithoutKeepingWeights_StillThrowsButRestoresNothing()
    {
        var network = Mlp(seed: 3);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, learningRate: 1e38));

        var act = () => trainer.Fit(Blobs(), new TrainingOptions { Epochs = 1, BatchSize = 32, KeepLastGoodWeights = false }, cancellationToken: None);

        act.Should().Throw<TrainingDivergedException>().Which.WeightsRestored.Should().BeFalse();
    }

    [Fact]
    public void Fit_NaNWeightBeforeTraining_ThrowsBeforeTheFirstStep()
    {
        var network = Mlp(seed: 3);
        network.Parameters[2].ValueSpan[1] = float.NaN;
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.1));

        var act = () => trainer.Fit(Blobs(), new TrainingOptions { Epochs = 1 }, cancellationToken: None);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        (thrown.Epoch, thrown.Batch, thrown.Parameter).Should().Be((1, 0, network.Parameters[2].Name));
        trainer.History.Steps.Should().Be(0);
    }

    [Fact]
    public void Constructor_OptimizerOverAnotherNetwork_ThrowsNamingTheParameter()
    {
        var network = Mlp(seed: 1);
        var twin = Mlp(seed: 1); // equal names and values, other objects
        var act = () => new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(twin.Parameters, 0.01));

        act.Should().Throw<ArgumentException>().WithParameterName("optimizer")
            .WithMessage($"*parameter '{twin.Parameters[0].Name}'*not one of the network's parameters*");
    }

    [Fact]
    public void Constructor_OptimizerOverSomeOfTheNetworksParameters_IsAccepted()
    {
        var network = Mlp(seed: 1);
        var act = () => new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters.Skip(2), 0.01));
        act.Should().NotThrow("training only some layers (freezing the others) is legitimate");
    }

    [Fact]
    public void Fit_StepsWithWeightChecksAndSnapshots_AllocateNothing()
    {
        // Per-run and per-epoch allocations (history, reports, clocks) cancel out between 1 and 3 epochs; what is left of
        // (32 − 4) steps per epoch must be 0 bytes.
        var data = Dataset<float>.FromLabels(TestTensors.Random<float>(7, 64, 20), Enumerable.Range(0, 64).Select(i => i % 4).ToArray(), 4);
        var network = Network.Sequential<float>(20).Dense(16).ReLU().Dense(4).Build(seed: 8);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, 1e-3));
        long PerTwoEpochs(int batchSize)
        {
            long Allocated(int epochs)
            {
                var options = new TrainingOptions { Epochs = epochs, BatchSize = batchSize };
                trainer.Fit(data, options, cancellationToken: None);
                return ThreadAllocation.LeastOf(() => trainer.Fit(data, options, cancellationToken: None));
            }
            return Allocated(3) - Allocated(1);
        }

        PerTwoEpochs(batchSize: 2).Should().Be(PerTwoEpochs(batchSize: 16));
    }
}
