// Generative adversarial networks, from the lecture's smallest form to its slide: `gaussian` learns a 1-D Gaussian and
// prints numbers; `digits` and `fashion` train class-conditional GANs on images and draw what they make.
using System.CommandLine;
using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Samples.Gan;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var root = new RootCommand("Generative adversarial networks: a 1-D duel, and class-conditional GANs on 8×8 digits and Fashion-MNIST.");

var steps = new Option<int>("--steps") { Description = "Rounds of the 1-D duel.", DefaultValueFactory = _ => 6000 };
var gaussian = new Command("gaussian", "The generator learns N(4, 1.25²) from noise; prints the duel's figures and a histogram.") { steps };
gaussian.SetAction(parse => GaussianDuelReport.Run(Positive(parse.GetValue(steps), "--steps")));
root.Subcommands.Add(gaussian);

Option<int> Epochs(int value) => new("--epochs") { Description = "Passes over the real images.", DefaultValueFactory = _ => value };
Option<double> LearningRate(double value) => new("--learning-rate") { Description = "Adam's rate for both networks (β₁ = 0.5).", DefaultValueFactory = _ => value };
var output = new Option<string>("--out") { Description = "Folder for the PNGs.", DefaultValueFactory = _ => "gan-output" };
var seed = new Option<int>("--seed") { Description = "Seeds networks, batches and noise.", DefaultValueFactory = _ => 1 };
var batch = new Option<int>("--batch-size") { Description = "Real images per round.", DefaultValueFactory = _ => 64 };
var noise = new Option<int>("--noise") { Description = "Length of the noise vector z.", DefaultValueFactory = _ => 32 };
var check = new Option<int>("--check-samples") { Description = "Generated samples per class for the recognisability check.", DefaultValueFactory = _ => 100 };
var snapshots = new Option<string>("--snapshots") { Description = "Epochs after which a grid is drawn, comma-separated (the last always is)." };

var digitsEpochs = Epochs(200);
var digitsRate = LearningRate(1e-3);
var digitsData = new Option<string?>("--data") { Description = $"scikit-learn's data folder with digits.csv.gz (default: ${DigitsData.Variable})." };
var digits = new Command("digits", "A conditional GAN on scikit-learn's 8×8 digits, judged by a classifier trained on real digits (bar: 80 %).")
    { digitsEpochs, digitsRate, output, seed, batch, noise, check, snapshots, digitsData };
digits.SetAction(parse =>
{
    var options = Options(parse, digitsEpochs, digitsRate, [1, 5, 20, 50, 100]);
    var result = GanRun.Run(GanExperiment.Digits(parse.GetValue(digitsData)!, options.NoiseSize, options.Seed), options, bar: 0.8);
    return result.Overall >= 0.8 ? 0 : 2;
});
root.Subcommands.Add(digits);

var fashionEpochs = Epochs(10);
var fashionRate = LearningRate(2e-4);
var fashionData = new Option<string>("--data") { Description = "The folder of Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
var subset = new Option<int>("--train-subset") { Description = "Train the GAN on the first N training images only (0: all 60 000).", DefaultValueFactory = _ => 6000 };
var fashion = new Command("fashion", "A conditional convolutional GAN on Fashion-MNIST (Dense → Unflatten → ConvTranspose2D), judged by a classifier.")
    { fashionEpochs, fashionRate, output, seed, batch, noise, check, snapshots, fashionData, subset };
fashion.SetAction(parse =>
{
    var options = Options(parse, fashionEpochs, fashionRate, [1, 2, 5, 10, 20]);
    int trainSubset = parse.GetValue(subset);
    if (trainSubset < 0) throw new ArgumentException($"--train-subset must not be negative, but was {trainSubset}.");
    GanRun.Run(GanExperiment.Fashion(parse.GetValue(fashionData)!, trainSubset, options.NoiseSize, options.Seed), options, bar: null);
});
root.Subcommands.Add(fashion);

return root.Parse(args).Invoke();

GanOptions Options(ParseResult parse, Option<int> epochs, Option<double> rate, int[] defaultSnapshots)
{
    string? text = parse.GetValue(snapshots);
    int[] at = text is null ? defaultSnapshots : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => Positive(
        int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) ? e : throw new ArgumentException($"--snapshots takes epochs separated by commas, but '{t}' is not a number."), "--snapshots"))];
    double learningRate = parse.GetValue(rate);
    if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentException($"--learning-rate must be a positive number, but was {learningRate}.");
    return new GanOptions(Positive(parse.GetValue(epochs), "--epochs"), Positive(parse.GetValue(batch), "--batch-size"), Positive(parse.GetValue(noise), "--noise"),
        learningRate, parse.GetValue(seed), parse.GetValue(output)!, at, Positive(parse.GetValue(check), "--check-samples"));
}

static int Positive(int value, string name) => value > 0 ? value : throw new ArgumentException($"{name} must be positive, but was {value}.");
