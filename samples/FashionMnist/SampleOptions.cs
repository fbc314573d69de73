using System.CommandLine;
using NeuralNets.Data;
using static NeuralNets.Samples.SampleCommandLine;

namespace FashionMnistSample;

/// <summary>The sample's command line: each option with its help text, default and check.</summary>
internal static class SampleOptions
{
    public static readonly Option<string> Data = Text("--data",
        "Directory of the four Fashion-MNIST .gz files (from `apt-get install -y dataset-fashion-mnist`)", FashionMnist.DefaultDirectory, "DIR");

    public static readonly Option<string> Model = Choice("--model",
        "The network to train: " + string.Join("; ", Models.Catalog.Select(m => $"{m.Key}: {m.Value.Description}")), "mlp", [.. Models.Catalog.Keys]);

    public static readonly Option<int?> Epochs = OptionalPositiveInteger("--epochs",
        $"Passes over the training set [default: {string.Join(", ", Models.Catalog.Select(m => $"{m.Value.DefaultEpochs} for {m.Key}"))}]");

    public static readonly Option<int> BatchSize = PositiveInteger("--batch-size", "Samples per SGD step", 32);

    public static readonly Option<double> LearningRate = PositiveReal("--learning-rate", "SGD step size η, decaying linearly to η/10", 0.1, "η");

    public static readonly Option<int> Seed = Integer("--seed", "Seed of the weights, the validation split and the shuffling", 42);

    /// <summary>The root command with every option; its action is the caller's.</summary>
    public static RootCommand Command() =>
        new("Trains a network on Fashion-MNIST's 60 000 training images and reports its accuracy on the 10 000 test images.")
        {
            Data, Model, Epochs, BatchSize, LearningRate, Seed,
        };
}
