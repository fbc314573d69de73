using static NeuralNets.Samples.OptionValues;
using System.Globalization;
using NeuralNets.Data;

namespace FashionMnistSample;

/// <summary>The command line of the sample, parsed and checked.</summary>
internal sealed record SampleOptions
{
    public const string Usage =
        """
        usage: FashionMnist [--data DIR] [--model NAME] [--epochs N] [--batch-size N] [--learning-rate X] [--seed N]
          --data DIR           directory of the four Fashion-MNIST .gz files (default /usr/share/datasets/fashion-mnist,
                               from `apt-get install -y dataset-fashion-mnist`)
          --model NAME         the network to train: {models} (default mlp)
          --epochs N           passes over the training set (default: 20 for mlp, 10 for cnn)
          --batch-size N       samples per SGD step (default 32)
          --learning-rate X    SGD step size (default 0.1)
          --seed N             seed of the weights, the validation split and the shuffling (default 42)
        """;

    public string DataDirectory { get; init; } = FashionMnist.DefaultDirectory;
    public string Model { get; init; } = "mlp";
    public int? Epochs { get; init; }
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 0.1;
    public int Seed { get; init; } = 42;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--data" => options with { DataDirectory = Value() },
                "--model" => options with { Model = Models.Check(Value()) },
                "--epochs" => options with { Epochs = Positive(name, Value()) },
                "--batch-size" => options with { BatchSize = Positive(name, Value()) },
                "--learning-rate" => options with { LearningRate = PositiveReal(name, Value()) },
                "--seed" => options with { Seed = Integer(name, Value()) },
                _ => throw new ArgumentException($"unknown option '{name}'."),
            };
        }
        return options;
    }
}
