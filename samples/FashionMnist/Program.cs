// Fashion-MNIST: trains a network on the 60 000 training images and reports its accuracy on the
// 10 000 test images. The last line is always `test accuracy: 0.xxxx` when training ran.
using System.Diagnostics;
using FashionMnistSample;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

SampleOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(SampleOptions.Usage.Replace("{models}", Models.Names));
        return 0;
    }
    options = SampleOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(SampleOptions.Usage.Replace("{models}", Models.Names));
    return 2;
}

var model = Models.Find(options.Model);
var network = model.Build(options.Seed);
bool flatInput = model.FlatInput;
Dataset<float> train, test;
var clock = Stopwatch.StartNew();
try
{
    train = FashionMnist.Load<float>(options.DataDirectory, train: true, flatten: flatInput);
    test = FashionMnist.Load<float>(options.DataDirectory, train: false, flatten: flatInput);
}
catch (IOException e) // missing directory or file, or a malformed file; the message says which and how to get it
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
Console.WriteLine($"loaded {train.Count} training and {test.Count} test images from {options.DataDirectory} in {clock.Elapsed.TotalSeconds:F1} s");

// Hold out part of the training set to watch for overfitting; the test set is only looked at once, at the end.
int epochs = options.Epochs ?? model.DefaultEpochs;
var (fit, validation) = train.Split(validationFraction: 1.0 / 12, seed: options.Seed);
Console.WriteLine($"model {options.Model} ({model.Description}): {network}");
Console.WriteLine($"training on {fit.Count}, validating on {validation.Count}; {epochs} epochs, batch {options.BatchSize}, SGD η = {options.LearningRate} decaying linearly to η/10");

var optimizer = new Sgd<float>(network.Parameters, options.LearningRate);
var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer);
var schedule = new TrainingOptions
{
    Epochs = epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    // Smaller steps late in training settle the weights; linear decay from η to η/10.
    OnEpochStart = epoch => optimizer.LearningRate = options.LearningRate * (1 - 0.9 * (epoch - 1) / Math.Max(1, epochs - 1)),
};
clock.Restart();
trainer.Fit(fit, schedule, validation, new SynchronousProgress<EpochReport>(Console.WriteLine));
Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s");

var result = trainer.Evaluate(test);
Console.WriteLine($"test loss: {result.Loss:F4}");
Console.WriteLine($"test accuracy: {result.Accuracy:F4}");
return 0;
