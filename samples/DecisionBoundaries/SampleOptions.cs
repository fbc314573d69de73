using System.CommandLine;
using System.Globalization;

namespace DecisionBoundariesSample;

/// <summary>The command line of the sample, checked by System.CommandLine; the values once parsed.</summary>
internal sealed record SampleOptions(
    string[] DataSets, int Points, double Noise, int Width, int Depth, string Activation, string Optimizer, double LearningRate,
    int Epochs, int BatchSize, int Size, string OutputDirectory, int Seed)
{
    private static readonly Option<string> Data = new Option<string>("--data")
    {
        Description = "the data set: spirals, circles, xor, blobs, or all of them", DefaultValueFactory = _ => "spirals",
    }.AcceptOnlyFromAmong([.. DecisionBoundariesSample.DataSets.Names, "all"]);
    private static readonly Option<int> PointCount = Checked<int>(new("--points") { Description = "points per class (80 % train, 20 % test)", DefaultValueFactory = _ => 200 }, v => v >= 5, "be at least 5");
    private static readonly Option<double> NoiseLevel = Checked<double>(new("--noise") { Description = "standard deviation of the noise on each coordinate", DefaultValueFactory = _ => 0.05 },
        v => v >= 0 && double.IsFinite(v), "be a non-negative number");
    private static readonly Option<int> HiddenWidth = Checked<int>(new("--width") { Description = "units per hidden layer", DefaultValueFactory = _ => 32 }, v => v > 0, "be positive");
    private static readonly Option<int> HiddenDepth = Checked<int>(new("--depth") { Description = "hidden layers", DefaultValueFactory = _ => 2 }, v => v >= 0, "not be negative");
    private static readonly Option<string> ActivationName = new Option<string>("--activation")
    {
        Description = "activation of the hidden layers", DefaultValueFactory = _ => "relu",
    }.AcceptOnlyFromAmong(Choices.Activations);
    private static readonly Option<string> OptimizerName = new Option<string>("--optimizer")
    {
        Description = "the optimizer", DefaultValueFactory = _ => "adam",
    }.AcceptOnlyFromAmong(Choices.Optimizers);
    private static readonly Option<double> Rate = Checked<double>(new("--learning-rate") { Description = "the optimizer's step size", DefaultValueFactory = _ => 0.01 },
        v => v > 0 && double.IsFinite(v), "be a positive number");
    private static readonly Option<int> EpochCount = Checked<int>(new("--epochs") { Description = "passes over the training points", DefaultValueFactory = _ => 300 }, v => v > 0, "be positive");
    private static readonly Option<int> Batch = Checked<int>(new("--batch-size") { Description = "points per step", DefaultValueFactory = _ => 32 }, v => v > 0, "be positive");
    private static readonly Option<int> PlotSize = Checked<int>(new("--size") { Description = "width and height of the plot in pixels", DefaultValueFactory = _ => 360 },
        v => v is >= 50 and <= 2000, "lie between 50 and 2000");
    private static readonly Option<string> Out = new("--out") { Description = "where the PNG pictures go", DefaultValueFactory = _ => "decision-boundaries" };
    private static readonly Option<int> SeedValue = new("--seed") { Description = "seed of the data, the weights and the shuffling", DefaultValueFactory = _ => 1 };

    /// <summary>The root command with every option, checked; <paramref name="run"/> gets the parsed values.</summary>
    public static RootCommand Command(Func<SampleOptions, int> run)
    {
        var command = new RootCommand("Trains a small MLP on a 2-D synthetic set and draws its decision regions with the training and test points.")
        {
            Data, PointCount, NoiseLevel, HiddenWidth, HiddenDepth, ActivationName, OptimizerName, Rate, EpochCount, Batch, PlotSize, Out, SeedValue,
        };
        command.SetAction(result =>
        {
            string data = result.GetValue(Data)!;
            return run(new SampleOptions(
                data == "all" ? DecisionBoundariesSample.DataSets.Names : [data], result.GetValue(PointCount), result.GetValue(NoiseLevel),
                result.GetValue(HiddenWidth), result.GetValue(HiddenDepth), result.GetValue(ActivationName)!, result.GetValue(OptimizerName)!,
                result.GetValue(Rate), result.GetValue(EpochCount), result.GetValue(Batch), result.GetValue(PlotSize), result.GetValue(Out)!, result.GetValue(SeedValue)));
        });
        return command;
    }

    // An option whose value must pass `valid`; the message names the option and the value.
    private static Option<TValue> Checked<TValue>(Option<TValue> option, Func<TValue, bool> valid, string must)
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<TValue>();
            if (!valid(value)) r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must {must}, but was {value}."));
        });
        return option;
    }
}
