using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training;

/// <summary>
/// A BatchNorm's running statistics are part of the last good state a divergence puts back: restoring the weights
/// alone would leave inference reading statistics that the diverging steps wrote.
/// </summary>
public class DivergenceRunningStatisticsTests
{
    /// <summary>Two seeded clouds of 32 points, around (−1, −1) and (1, 1), times <paramref name="scale"/>.</summary>
    private static Dataset<float> Blobs(float scale = 1)
    {
        var random = new Random(1);
        var rows = new float[32][];
        var labels = new int[32];
        for (int i = 0; i < rows.Length; i++)
        {
            labels[i] = i % 2;
            float centre = labels[i] == 0 ? -1 : 1;
            rows[i] = [(centre + (float)random.NextDouble() - 0.5f) * scale, (centre + (float)random.NextDouble() - 0.5f) * scale];
        }
        return Dataset<float>.FromLabels(rows, labels, 2);
    }

    private static Sequential<float> Flat(int seed) => Network.Sequential<float>(2).Dense(6).BatchNorm1D().ReLU().Dense(2).Build(seed);

    private static Sequential<float> Nested(int seed) => Network.Sequential<float>(2).Dense(6)
        .Add((_, _) => new Sequential<float>(new BatchNorm1D<float>(6), new ReLU<float>()))
        .Dense(2).Build(seed);

    private static BatchNorm<float> Norm(Sequential<float> network) =>
        network.Layers[1] as BatchNorm<float> ?? (BatchNorm<float>)((Sequential<float>)network.Layers[1]).Layers[0];

    /// <summary>The weights and the running statistics, as one state.</summary>
    private static string State(Sequential<float> network)
    {
        var norm = Norm(network);
        static string Bits(IEnumerable<float> values) => string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)));
        return string.Join(" | ", network.Parameters.Select(p => Bits(p.ValueSpan.ToArray()))) +
            " || " + Bits(norm.RunningMean.ToArray()) + " | " + Bits(norm.RunningVariance.ToArray()) + " | " + norm.BatchesTracked.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_HugeRate_PutsBackTheRunningStatisticsOfTheRestoredStepToo(bool nested)
    {
        var network = nested ? Nested(seed: 2) : Flat(seed: 2);
        var states = new List<string> { State(network) };
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 1e30));

        var act = () => trainer.Fit(Blobs(), new TrainingOptions { Epochs = 5, BatchSize = 8 }, callbacks: [new Recorder(() => states.Add(State(network)))],
            cancellationToken: TestContext.Current.CancellationToken);

        act.Should().Throw<TrainingDivergedException>().Which.WeightsRestored.Should().BeTrue();
        states.Should().Contain(State(network), "the weights and running statistics are put back together, as one step left them");
        Norm(network).RunningVariance.ToArray().Should().OnlyContain(v => float.IsFinite(v));
        Norm(network).RunningMean.ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Theory]
    [InlineData(false, "1.running_var")]
    [InlineData(true, "1.0.running_var")]
    public void Fit_RunningVarianceOverflows_IsDivergenceNamingTheStatisticAndRestoresTheStateBefore(bool nested, string statistic)
    {
        // Inputs near 1e20: the batch's variance near 1e40 overflows float in the running variance, while the
        // normalised output, the loss and the weights stay finite.
        var network = nested ? Nested(seed: 3) : Flat(seed: 3);
        string before = State(network);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.01));

        var act = () => trainer.Fit(Blobs(scale: 1e20f), new TrainingOptions { Epochs = 1, BatchSize = 8 }, cancellationToken: TestContext.Current.CancellationToken);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        (thrown.Epoch, thrown.Batch, thrown.Parameter).Should().Be((1, 1, statistic));
        thrown.Message.Should().Contain($"'{statistic}'");
        thrown.WeightsRestored.Should().BeTrue();
        State(network).Should().Be(before);
    }

    [Fact]
    public void Fit_RunningVarianceOverflowsWithoutKeptWeights_StillStops()
    {
        var network = Flat(seed: 3);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, 0.01));

        var act = () => trainer.Fit(Blobs(scale: 1e20f), new TrainingOptions { Epochs = 1, BatchSize = 8, KeepLastGoodWeights = false },
            cancellationToken: TestContext.Current.CancellationToken);

        var thrown = act.Should().Throw<TrainingDivergedException>().Which;
        thrown.Parameter.Should().Be("1.running_var");
        thrown.WeightsRestored.Should().BeFalse();
    }

    private sealed class Recorder(Action record) : ITrainingCallback<float>
    {
        public void OnBatchEnd(TrainingContext<float> context, in BatchReport report) => record();
    }
}
