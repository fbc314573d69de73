// What a package user writes first: XOR, trained from the packed NeuralNets. Exits 1 unless it learns it.
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
var data = Dataset<float>.FromLabels(inputs, [0, 1, 1, 0], classCount: 2);
var network = Network.Sequential<float>(2).Dense(8).Tanh().Dense(2).Build(seed: 1);
var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.05));

trainer.Fit(data, new TrainingOptions { Epochs = 300, BatchSize = 4, Seed = 1 });
double loss = trainer.Evaluate(data).Loss;
int[] classes = network.PredictClass(data.Features);

Console.WriteLine(network.Summary());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"XOR from the NeuralNets package: loss {loss:F5}, predicted {string.Join(" ", classes)}"));
bool learned = loss < 0.01 && classes.SequenceEqual([0, 1, 1, 0]);
Console.WriteLine(learned ? "package consumer: passed" : "package consumer: FAILED (expected loss < 0.01 and classes 0 1 1 0)");
return learned ? 0 : 1;
