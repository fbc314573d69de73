// OptimizerRace: the same network on the same data with every optimizer; a table, loss curves, and paths on a ravine.
using System.Diagnostics;
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string outputDirectory = "optimizer-race-output";
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) outputDirectory = args[++i];
    else { Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: OptimizerRace [--out DIR]"); return 2; }
}
Directory.CreateDirectory(outputDirectory);

const int Epochs = 100;
var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 300, noise: 0.05, turns: 1.5, seed: 7);
var (train, test) = data.Split(validationFraction: 0.2, seed: 7);
Console.WriteLine($"two spirals: {train.Count} training and {test.Count} test points; {Epochs} epochs each");

// One untimed epoch first, so that the first contestant's time does not include the JIT's warm-up.
Race(new Contestant("warm-up", p => new Sgd<float>(p, 0.1)), epochs: 1);

var curves = new List<(string Name, double[] Loss)>();
Console.WriteLine();
Console.WriteLine("| optimizer | final train loss | test accuracy | time (s) |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var contestant in Contestant.All)
{
    var (history, finalTrain, result, elapsed) = Race(contestant, Epochs);
    curves.Add((contestant.Name, history.Epochs.Select(e => e.TrainLoss).ToArray()));
    Console.WriteLine($"| {contestant.Name} | {finalTrain.Loss:F4} | {result.Accuracy:F3} | {elapsed.TotalSeconds:F2} |");
}

string lossPath = Path.Combine(outputDirectory, "loss-curves.png");
string ravinePath = Path.Combine(outputDirectory, "ravine-paths.png");
Plots.LossCurves(curves, lossPath);
Plots.RavinePaths(ravinePath);
Console.WriteLine();
Console.WriteLine($"loss curves:  {Path.GetFullPath(lossPath)}");
Console.WriteLine($"ravine paths: {Path.GetFullPath(ravinePath)}");
return 0;

(TrainingHistory History, Evaluation Train, Evaluation Test, TimeSpan Elapsed) Race(Contestant contestant, int epochs)
{
    // The same initial weights for every contestant: the network is rebuilt from one seed.
    var network = Network.Sequential<float>(2)
        .Dense(64, WeightInit.HeUniform).ReLU()
        .Dense(64, WeightInit.HeUniform).ReLU()
        .Dense(2)
        .Build(seed: 42);
    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), contestant.Create(network.Parameters));
    var clock = Stopwatch.StartNew();
    var history = trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = contestant.FullBatch ? train.Count : 32, Seed = 1 });
    clock.Stop();
    return (history, trainer.Evaluate(train), trainer.Evaluate(test), clock.Elapsed);
}
