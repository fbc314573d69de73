using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

/// <summary>
/// Fit with a label per pixel: targets <c>[N, H, W]</c> are shuffled and batched as any targets, a per-pixel classifier
/// learns them, and a seeded run gives the same bits on one helper thread as on all of them.
/// </summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class PixelLabelFitTests
{
    // 24 images [1, 8, 8] whose pixels are class 1 where the value is positive, 0 where it is negative, and ignored (−1)
    // where it is near 0, so that a 1×1 rule learns them; a third class no pixel has.
    private static Dataset<float> Data()
    {
        var features = TestTensors.Random<float>(31, 24, 1, 8, 8);
        var labels = features.ToArray().Select(v => Math.Abs(v) < 0.1f ? -1f : v > 0 ? 1f : 0f).ToArray();
        return new Dataset<float>(features, TestTensors.Create(labels, 24, 8, 8));
    }

    private static (TrainingHistory History, float[] Weights) Fit(int maxThreads)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            var network = Network.Sequential<float>(1, 8, 8).Conv2D(4, kernel: 3, padding: 1).ReLU().Conv2D(3, kernel: 1).Build(seed: 3);
            var trainer = new Trainer<float>(network, new CrossEntropy<float>(ignoreIndex: -1), new Adam<float>(network.Parameters, 0.05));
            var data = Data();
            var history = trainer.Fit(data.Take(20), new TrainingOptions { Epochs = 15, BatchSize = 6, Seed = 5 }, validation: data.Subset([20, 21, 22, 23]),
                cancellationToken: TestContext.Current.CancellationToken);
            return (history, network.Parameters.SelectMany(p => p.ValueSpan.ToArray()).ToArray());
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void Fit_LabelsPerPixelWithIgnoredOnes_LossFalls()
    {
        var (history, _) = Fit(Parallelism.DefaultMaxThreads);

        history.Epochs[^1].TrainLoss.Should().BeLessThan(0.5 * history.Epochs[0].TrainLoss);
        history.Epochs[^1].ValidationLoss!.Value.Should().BeLessThan(history.Epochs[0].ValidationLoss!.Value);
    }

    [Fact]
    public void Fit_LabelsPerPixel_OneThreadOrAll_BitIdentical()
    {
        var one = Fit(1);
        var all = Fit(Math.Max(2, Parallelism.DefaultMaxThreads));

        all.Weights.Should().Equal(one.Weights);
        all.History.Epochs.Select(e => e.TrainLoss).Should().Equal(one.History.Epochs.Select(e => e.TrainLoss));
    }
}
