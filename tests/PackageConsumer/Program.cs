// What a package user writes first: XOR, trained from the packed NeuralNets. Exits 1 unless it learns it.
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
var data = Dataset<float>.FromLabels(inputs, [0, 1, 1, 0], classCount: 2);
var network = Network.Sequential<float>(2).Dense(8).Tanh().Dense(2).Build(seed: 1);
var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.05));

trainer.Fit(data, new TrainingOptions { Epochs = 300, BatchSize = 4, Seed = 1 });
double loss = trainer.Evaluate(data).Loss;
int[] classes = network.PredictClass(data.Features);

// Served from a frozen copy: the same answers, bit for bit, and they stay while the network trains on.
var frozen = network.Freeze();
float[] before = network.Predict(data.Features).Span().ToArray();
bool frozenAgrees = frozen.Predict(data.Features).Span().SequenceEqual(before) && frozen.PredictClass(data.Features).SequenceEqual(classes);
trainer.Fit(data, new TrainingOptions { Epochs = 5, BatchSize = 4, Seed = 2 });
bool frozenKept = frozen.Predict(data.Features).Span().SequenceEqual(before) && !network.Predict(data.Features).Span().SequenceEqual(before);

// Saved and loaded back (the file written by code generated at build time, so a Native AOT publish saves alike).
string file = Path.Combine(Path.GetTempPath(), $"xor-{Environment.ProcessId}.json");
NeuralNets.Serialization.ModelFile.Save(network, file);
var loaded = NeuralNets.Serialization.ModelFile.Load<float>(file);
File.Delete(file);
bool loadedAgrees = loaded.Predict(data.Features).Span().SequenceEqual(network.Predict(data.Features).Span());

Console.WriteLine(network.Summary());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"XOR from the NeuralNets package: loss {loss:F5}, predicted {string.Join(" ", classes)}; frozen copy agrees {frozenAgrees}, kept its answers {frozenKept}; loaded copy agrees {loadedAgrees}"));
bool learned = loss < 0.01 && classes.SequenceEqual([0, 1, 1, 0]) && frozenAgrees && frozenKept && loadedAgrees;
Console.WriteLine(learned ? "package consumer: passed" : "package consumer: FAILED (expected loss < 0.01, classes 0 1 1 0, a frozen copy that agrees and keeps its answers, and a saved copy that loads and agrees)");
return learned ? 0 : 1;
