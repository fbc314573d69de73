// Fashion-MNIST: trains a network on the 60 000 training images and reports its accuracy on the
// 10 000 test images, with a classification report per class. The last line is always
// `test accuracy: 0.xxxx` when training ran.
using System.CommandLine;
using System.Diagnostics;
using FashionMnistSample;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Samples;
using NeuralNets.Training;

var command = SampleOptions.Command();
command.SetAction(parsed => Train(
    parsed.GetRequiredValue(SampleOptions.Data), parsed.GetRequiredValue(SampleOptions.Model), parsed.GetValue(SampleOptions.Epochs),
    parsed.GetRequiredValue(SampleOptions.BatchSize), parsed.GetRequiredValue(SampleOptions.LearningRate), parsed.GetRequiredValue(SampleOptions.Seed)));
return SampleCommandLine.Run(command, args);

static int Train(string dataDirectory, string modelName, int? epochsAsked, int batchSize, double learningRate, int seed)
{
    var model = Models.Find(modelName);
    var network = model.Build(seed);
    Dataset<float> train, test;
    var clock = Stopwatch.StartNew();
    try
    {
        train = FashionMnist.Load<float>(dataDirectory, train: true, flatten: model.FlatInput);
        test = FashionMnist.Load<float>(dataDirectory, train: false, flatten: model.FlatInput);
    }
    catch (IOException e) // missing directory or file, or a malformed file; the message says which and how to get it
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
    SampleConsole.Line($"loaded {train.Count} training and {test.Count} test images from {dataDirectory} in {clock.Elapsed.TotalSeconds:F1} s");

    // Hold out part of the training set to watch for overfitting; the test set is only looked at once, at the end.
    int epochs = epochsAsked ?? model.DefaultEpochs;
    var (fit, validation) = train.Split(validationFraction: 1.0 / 12, seed: seed);
    SampleConsole.Line($"model {modelName} ({model.Description}): {network}");
    SampleConsole.Line($"training on {fit.Count}, validating on {validation.Count}; {epochs} epochs, batch {batchSize}, SGD η = {learningRate} decaying linearly to η/10");

    var optimizer = new Sgd<float>(network.Parameters, learningRate);
    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer);
    var schedule = new TrainingOptions
    {
        Epochs = epochs,
        BatchSize = batchSize,
        Seed = seed,
        // Smaller steps late in training settle the weights; linear decay from η to η/10.
        OnEpochStart = epoch => optimizer.LearningRate = learningRate * (1 - 0.9 * (epoch - 1) / Math.Max(1, epochs - 1)),
    };
    clock.Restart();
    TrainingBars.Show(bars =>
    {
        var bar = bars.Add(modelName);
        return trainer.Fit(fit, schedule, validation, progress: bar, batchProgress: bar);
    });
    SampleConsole.Line($"trained in {clock.Elapsed.TotalSeconds:F1} s");
    SampleConsole.Line();

    ReportTables.Show(network.ReportClassification(test, topK: 2, classNames: FashionMnist.ClassNames), "test set, per class");
    var result = trainer.Evaluate(test);
    SampleConsole.Line($"test loss: {result.Loss:F4}");
    SampleConsole.Line($"test accuracy: {result.Accuracy:F4}");
    return 0;
}
