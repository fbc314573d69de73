// OptimizerRace: the same network on the same data with every optimizer; a table of standings, loss curves, and paths on a ravine.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Samples;
using NeuralNets.Training;
using Spectre.Console;

var outOption = SampleCommandLine.Text("--out", "Directory for loss-curves.png and ravine-paths.png", "optimizer-race-output", "DIR");
var epochsOption = SampleCommandLine.PositiveInteger("--epochs", "Epochs each optimizer trains", 100);
var command = new RootCommand($"Trains one network on two spirals with each optimizer ({string.Join(", ", Contestant.All.Select(c => c.Name))}) and ranks them; draws the loss curves and the paths on a narrow ravine.")
{
    outOption, epochsOption,
};
command.SetAction(parsed => Race(parsed.GetRequiredValue(outOption), parsed.GetRequiredValue(epochsOption)));
return SampleCommandLine.Run(command, args);

static int Race(string outputDirectory, int epochs)
{
    Directory.CreateDirectory(outputDirectory);
    var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 300, noise: 0.05, turns: 1.5, seed: 7);
    var (train, test) = data.Split(validationFraction: 0.2, seed: 7);
    SampleConsole.Line($"two spirals: {train.Count} training and {test.Count} test points; {epochs} epochs each");

    // One untimed epoch first, so that the first contestant's time does not include the JIT's warm-up.
    Run(new Contestant("warm-up", p => new Sgd<float>(p, 0.1)), train, test, epochs: 1, bar: null);

    var finishers = TrainingBars.Show(bars => Contestant.All
        .Select(contestant => (contestant, result: Run(contestant, train, test, epochs, bars.Add(contestant.Name, printEpoch: _ => false))))
        .ToList());

    var standings = new Table { Title = new TableTitle("standings, by final training loss") }
        .AddColumn("#", c => c.RightAligned()).AddColumn("optimizer")
        .AddColumn("final train loss", c => c.RightAligned()).AddColumn("test accuracy", c => c.RightAligned()).AddColumn("time (s)", c => c.RightAligned());
    int place = 0;
    foreach (var (contestant, result) in finishers.OrderBy(f => f.result.Train.Loss))
        standings.AddRow(Invariant($"{++place}"), contestant.Name, Invariant($"{result.Train.Loss:F4}"), Invariant($"{result.Test.Accuracy:F3}"), Invariant($"{result.Elapsed.TotalSeconds:F2}"));
    SampleConsole.Line();
    SampleConsole.Show(standings);

    string lossPath = Path.Combine(outputDirectory, "loss-curves.png");
    string ravinePath = Path.Combine(outputDirectory, "ravine-paths.png");
    Plots.LossCurves([.. finishers.Select(f => (f.contestant.Name, f.result.History.Epochs.Select(e => e.TrainLoss).ToArray()))], lossPath);
    Plots.RavinePaths(ravinePath);
    SampleConsole.Line($"loss curves:  {Path.GetFullPath(lossPath)}");
    SampleConsole.Line($"ravine paths: {Path.GetFullPath(ravinePath)}");
    return 0;
}

static (TrainingHistory History, Evaluation Train, Evaluation Test, TimeSpan Elapsed) Run(
    Contestant contestant, Dataset<float> train, Dataset<float> test, int epochs, TrainingBar? bar)
{
    // The same initial weights for every contestant: the network is rebuilt from one seed.
    var network = Network.Sequential<float>(2)
        .Dense(64, WeightInit.HeUniform).ReLU()
        .Dense(64, WeightInit.HeUniform).ReLU()
        .Dense(2)
        .Build(seed: 42);
    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), contestant.Create(network.Parameters));
    var clock = Stopwatch.StartNew();
    var history = trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = contestant.FullBatch ? train.Count : 32, Seed = 1 },
        progress: bar, batchProgress: bar);
    clock.Stop();
    return (history, trainer.Evaluate(train), trainer.Evaluate(test), clock.Elapsed);
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
