using System.CommandLine;
using NeuralNets.Data;

namespace CnnFiltersSample;

/// <summary>The command line of the sample, checked by System.CommandLine; the values once parsed.</summary>
internal sealed record SampleOptions(string DataDirectory, string OutputDirectory, int Epochs, int TrainCount, double LearningRate, int Image, int Seed)
{
    private static readonly Option<string> Data = new("--data")
    {
        Description = "directory of the four Fashion-MNIST .gz files (from `apt-get install -y dataset-fashion-mnist`)",
        DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
    };
    private static readonly Option<string> Out = new("--out") { Description = "where the PNG pictures go", DefaultValueFactory = _ => "cnn-filters" };
    private static readonly Option<int> EpochCount = Checked<int>(new("--epochs") { Description = "passes over the training images", DefaultValueFactory = _ => 2 }, v => v > 0, "be positive");
    private static readonly Option<int> Train = Checked<int>(new("--train") { Description = "train on the first N training images", DefaultValueFactory = _ => 20000 }, v => v > 0, "be positive");
    private static readonly Option<double> Rate = Checked<double>(new("--learning-rate") { Description = "SGD step size", DefaultValueFactory = _ => 0.05 },
        v => v > 0 && double.IsFinite(v), "be a positive number");
    private static readonly Option<int> ImageIndex = Checked<int>(new("--image") { Description = "the test image whose feature maps and saliency are drawn", DefaultValueFactory = _ => 0 },
        v => v >= 0, "not be negative");
    private static readonly Option<int> SeedValue = new("--seed") { Description = "seed of the weights and the shuffling", DefaultValueFactory = _ => 42 };

    /// <summary>The root command with every option, checked; <paramref name="run"/> gets the parsed values.</summary>
    public static RootCommand Command(Func<SampleOptions, int> run)
    {
        var command = new RootCommand("Trains a small CNN on Fashion-MNIST and draws what it learned: filters, feature maps, saliency, class maximisation.")
        {
            Data, Out, EpochCount, Train, Rate, ImageIndex, SeedValue,
        };
        command.SetAction(result => run(new SampleOptions(
            result.GetValue(Data)!, result.GetValue(Out)!, result.GetValue(EpochCount), result.GetValue(Train),
            result.GetValue(Rate), result.GetValue(ImageIndex), result.GetValue(SeedValue))));
        return command;
    }

    // An option whose value must pass `valid`; the message names the option and the value.
    private static Option<TValue> Checked<TValue>(Option<TValue> option, Func<TValue, bool> valid, string must)
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<TValue>();
            if (!valid(value)) r.AddError(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{option.Name} must {must}, but was {value}."));
        });
        return option;
    }
}
