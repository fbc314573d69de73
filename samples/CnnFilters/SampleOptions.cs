using static NeuralNets.Samples.OptionValues;
using System.Globalization;
using NeuralNets.Data;

namespace CnnFiltersSample;

/// <summary>The command line of the sample, parsed and checked.</summary>
internal sealed record SampleOptions
{
    public const string Usage =
        """
        usage: CnnFilters [--data DIR] [--out DIR] [--epochs N] [--train N] [--learning-rate X] [--image N] [--seed N]
          --data DIR           directory of the four Fashion-MNIST .gz files (default /usr/share/datasets/fashion-mnist,
                               from `apt-get install -y dataset-fashion-mnist`)
          --out DIR            where the PNG pictures go (default cnn-filters)
          --epochs N           passes over the training images (default 2)
          --train N            train on the first N training images (default 20000)
          --learning-rate X    SGD step size (default 0.05)
          --image N            the test image whose feature maps are drawn (default 0)
          --seed N             seed of the weights and the shuffling (default 42)
        """;

    public string DataDirectory { get; init; } = FashionMnist.DefaultDirectory;
    public string OutputDirectory { get; init; } = "cnn-filters";
    public int Epochs { get; init; } = 2;
    public int TrainCount { get; init; } = 20000;
    public double LearningRate { get; init; } = 0.05;
    public int Image { get; init; }
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
                "--out" => options with { OutputDirectory = Value() },
                "--epochs" => options with { Epochs = Positive(name, Value()) },
                "--train" => options with { TrainCount = Positive(name, Value()) },
                "--learning-rate" => options with { LearningRate = PositiveReal(name, Value()) },
                "--image" => options with { Image = NonNegative(name, Value()) },
                "--seed" => options with { Seed = Integer(name, Value()) },
                _ => throw new ArgumentException($"unknown option '{name}'."),
            };
        }
        return options;
    }
}
