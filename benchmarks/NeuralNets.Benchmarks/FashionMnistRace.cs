using System.Diagnostics;
using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// Trains the LeNet-like CNN on Fashion-MNIST until its test accuracy reaches 0.90, in NeuralNets
/// and then (when built with TorchSharp) in TorchSharp with the same model, hyperparameters and
/// batch order rule, and prints the wall time of each. Not a test: it takes minutes.
/// </summary>
internal static class FashionMnistRace
{
    private const double Target = 0.90;
    private const int MaxEpochs = 15;
    private const int BatchSize = 64;
    private const double LearningRate = 0.01;
    private const double MomentumFactor = 0.9;

    public static void Run(string directory)
    {
        var train = FashionMnist.Load<float>(directory, train: true);
        var test = FashionMnist.Load<float>(directory, train: false);
        Console.WriteLine($"Fashion-MNIST: {train.Count} training, {test.Count} test images; LeNet-like CNN, batch {BatchSize}, " +
                          $"SGD with momentum {MomentumFactor}, η = {LearningRate}, until test accuracy ≥ {Target} (at most {MaxEpochs} epochs)");
        Report("NeuralNets", RunNeuralNets(train, test));
#if WITH_TORCH
        Console.WriteLine(TorchRuntime.Prepare());
        Report("TorchSharp", RunTorch(train, test));
#endif
    }

    private static void Report(string who, (int Epochs, double Accuracy, TimeSpan Training, TimeSpan Total) result) =>
        Console.WriteLine($"{who}: test accuracy {result.Accuracy:F4} after {result.Epochs} epochs; " +
                          $"training {result.Training.TotalSeconds:F1} s, with evaluations {result.Total.TotalSeconds:F1} s");

    private static (int, double, TimeSpan, TimeSpan) RunNeuralNets(Dataset<float> train, Dataset<float> test)
    {
        var network = LeNet.Build(seed: 1);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Momentum<float>(network.Parameters, LearningRate, MomentumFactor));
        var training = new Stopwatch();
        var total = Stopwatch.StartNew();
        double accuracy = 0;
        int epoch = 0;
        while (epoch < MaxEpochs && accuracy < Target)
        {
            epoch++;
            training.Start();
            trainer.Fit(train, new TrainingOptions { Epochs = 1, BatchSize = BatchSize, Seed = epoch, KeepLastGoodWeights = false });
            training.Stop();
            accuracy = trainer.Evaluate(test).Accuracy ?? 0;
            Console.WriteLine($"  NeuralNets epoch {epoch}: test accuracy {accuracy:F4}, training so far {training.Elapsed.TotalSeconds:F1} s");
        }
        return (epoch, accuracy, training.Elapsed, total.Elapsed);
    }

#if WITH_TORCH
    private static (int, double, TimeSpan, TimeSpan) RunTorch(Dataset<float> train, Dataset<float> test)
    {
        torch.manual_seed(1);
        var model = LeNet.BuildTorch();
        var optimizer = torch.optim.SGD(model.parameters(), LearningRate, momentum: MomentumFactor);
        using var x = torch.tensor(train.Features.Span().ToArray(), train.Count, 1, 28, 28);
        using var y = torch.tensor(Labels(train), new long[] { train.Count });
        using var testX = torch.tensor(test.Features.Span().ToArray(), test.Count, 1, 28, 28);
        using var testY = torch.tensor(Labels(test), new long[] { test.Count });
        var training = new Stopwatch();
        var total = Stopwatch.StartNew();
        double accuracy = 0;
        int epoch = 0;
        while (epoch < MaxEpochs && accuracy < Target)
        {
            epoch++;
            training.Start();
            var order = Permutation(train.Count, epoch);
            for (int first = 0; first < train.Count; first += BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                int count = Math.Min(BatchSize, train.Count - first);
                var index = torch.tensor(order.AsSpan(first, count).ToArray(), new long[] { count });
                optimizer.zero_grad();
                var loss = torch.nn.functional.cross_entropy(model.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
            training.Stop();
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                long correct = 0;
                for (int first = 0; first < test.Count; first += 1000)
                {
                    int count = Math.Min(1000, test.Count - first);
                    var predicted = model.forward(testX.narrow(0, first, count)).argmax(1);
                    correct += predicted.eq(testY.narrow(0, first, count)).sum().item<long>();
                }
                accuracy = correct / (double)test.Count;
            }
            Console.WriteLine($"  TorchSharp epoch {epoch}: test accuracy {accuracy:F4}, training so far {training.Elapsed.TotalSeconds:F1} s");
        }
        return (epoch, accuracy, training.Elapsed, total.Elapsed);
    }

    private static long[] Labels(Dataset<float> data)
    {
        var targets = data.Targets.Span();
        var labels = new long[data.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = (long)targets[i];
        return labels;
    }

    private static long[] Permutation(int count, int seed)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        return order;
    }
#endif
}
