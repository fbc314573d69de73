// Quickstart: an MLP learns two interleaved spirals, generated in code (no download).
// README's main job: kept to the library alone, with plain Console output and no options (unlike the other samples'
// progress bars and tables), so that it reads as a first program and always ends with "test accuracy: 0.97…".
using System.Diagnostics;
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // "0.9775" in every culture, as README quotes it
var clock = Stopwatch.StartNew();
var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 1000, noise: 0.05, turns: 1.5, seed: 7);
var (train, test) = data.Split(validationFraction: 0.2, seed: 7);

var network = Network.Sequential<float>(2)
    .Dense(64, WeightInit.HeUniform).ReLU()
    .Dense(64, WeightInit.HeUniform).ReLU()
    .Dense(2)
    .Build(seed: 42);
Console.WriteLine(network);

var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, learningRate: 0.1));
trainer.Fit(train, new TrainingOptions { Epochs = 200, BatchSize = 32, Seed = 1 }, validation: test,
    progress: new SynchronousProgress<EpochReport>(report => { if (report.Epoch % 25 == 0 || report.Epoch == 1) Console.WriteLine(report); }));

var result = trainer.Evaluate(test);
Console.WriteLine($"trained {network.ParameterCount} parameters in {clock.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"test accuracy: {result.Accuracy:F4}");
