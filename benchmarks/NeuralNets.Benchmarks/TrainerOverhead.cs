using System.Diagnostics;
using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Benchmarks;

/// <summary>
/// What <see cref="Trainer{T}.Fit"/> costs beside the training step, in one process taking turns (<see cref="Rounds"/>): an
/// epoch of Fit with its default options over 60,000 random MNIST-sized samples, shuffled, against as many bare optimizer
/// steps on one fixed batch, and the epoch's mini-batches gathered alone; per step, medians over the rounds. The network is
/// the MLP 784-128(σ)-10, on rows or (<c>images</c>) on 1×28×28 images it flattens itself, as a Keras beginner writes it.
/// </summary>
internal static class TrainerOverhead
{
    private const int Samples = 60_000;

    /// <summary>Arguments: the batch size, and optionally <c>images</c>.</summary>
    public static void Run(string[] arguments)
    {
        int batch = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 64;
        bool images = arguments.Contains("images");
        int[] sample = images ? [1, 28, 28] : [784];
        var builder = Network.Sequential<float>(sample);
        if (images) builder = builder.Flatten();
        var model = builder.Dense(128).Sigmoid().Dense(10).Build(seed: 1);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(model.Parameters, 0.01);

        var labels = BenchmarkData.Labels(Samples, 10, 2).Select(v => (int)v).ToArray();
        var data = Dataset<float>.FromLabels(BenchmarkData.Wrap(BenchmarkData.Uniform(Samples * 784, 1, 0, 1), [Samples, .. sample]), labels, 10);
        var trainer = new Trainer<float>(model, loss, sgd);
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch };
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * 784, 3, 0, 1), [batch, .. sample]);
        var y = BenchmarkData.Wrap(BenchmarkData.Labels(batch, 10, 4), batch);
        Func<float> evaluate = () =>
        {
            TrainerZeroing.ZeroGradientsDeferred(model);
            float value = loss.Forward(model.Forward(x, training: true), y);
            model.BackwardToParameters(loss.Backward());
            return value;
        };
        var batches = new MiniBatches<float>(data, batch, shuffle: true, seed: 5);
        int steps = batches.BatchesPerEpoch;

        double PerStep(Action epoch)
        {
            var watch = Stopwatch.StartNew();
            epoch();
            return watch.Elapsed.TotalSeconds / steps;
        }
        var times = Rounds.Interleaved(
        [
            () => PerStep(() => trainer.Fit(data, options)),
            () => PerStep(() => { for (int i = 0; i < steps; i++) sgd.Step(evaluate); }),
            () => PerStep(() => { foreach (var _ in batches.NextEpoch()) { } }),
        ], 7);
        double fit = Rounds.Median(times[0]), bare = Rounds.Median(times[1]), loading = Rounds.Median(times[2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MLP 784-128(σ)-10 on {(images ? "1×28×28 images, flattened" : "rows of 784")}, batch {batch}: Fit {fit * 1e6:F1} µs a step, bare steps {bare * 1e6:F1} µs ({fit / bare:F2}×); gathering a batch alone {loading * 1e6:F1} µs (medians of 7 rounds of an epoch each)"));
    }
}
