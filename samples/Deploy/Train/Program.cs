// Deploy, part 1: trains a Fashion-MNIST classifier with NeuralNets, prints its test accuracy and exports it to ONNX.
// Part 2 (../Score) scores the same test set with ONNX Runtime alone and prints the same accuracy.
// Usage: dotnet run -c Release -- [model.onnx] [fashion-mnist directory] [--epochs N]
using System.CommandLine;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Interop;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Samples;
using NeuralNets.Training;

var modelArgument = new Argument<string>("model") { Description = "The ONNX file to write", DefaultValueFactory = _ => "fashion-mnist.onnx" };
var dataArgument = new Argument<string>("data") { Description = "Directory of the Fashion-MNIST files", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
var epochsOption = SampleCommandLine.PositiveInteger("--epochs", "Passes over the training set", 2);
var command = new RootCommand("Trains a Fashion-MNIST MLP with NeuralNets, prints its test accuracy and exports it to ONNX for Deploy.Score.")
{
    modelArgument, dataArgument, epochsOption,
};
command.SetAction(parsed => Train(parsed.GetRequiredValue(modelArgument), parsed.GetRequiredValue(dataArgument), parsed.GetRequiredValue(epochsOption)));
return SampleCommandLine.Run(command, args);

static int Train(string path, string directory, int epochs)
{
    Dataset<float> train, test;
    try
    {
        train = FashionMnist.Load<float>(directory, train: true);
        test = FashionMnist.Load<float>(directory, train: false);
    }
    catch (IOException e) // missing directory or file, or a malformed file; the message says which and how to get it
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }

    var network = Network.Sequential<float>(inputShape: [1, 28, 28])
        .Flatten().Dense(128).ReLU().Dropout(0.1).Dense(10)
        .Build(seed: 42);
    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.001));
    TrainingBars.Show(bars =>
    {
        var bar = bars.Add("MLP");
        return trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = 1 }, progress: bar, batchProgress: bar);
    });

    // Accuracy as the scorer computes it: the class with the largest output, image by image.
    var report = network.ReportClassification(test, topK: 2, classNames: FashionMnist.ClassNames);
    SampleConsole.Line();
    ReportTables.Show(report, "NeuralNets on the test set, per class");
    long correct = report.Samples - report.Misclassified.Count;
    SampleConsole.Line($"NeuralNets test accuracy:   {report.Accuracy:F4} ({correct} of {report.Samples})");

    OnnxFile.Save(network, path);
    SampleConsole.Line($"exported {path} (ONNX opset {OnnxFile.OperatorSetVersion}, input 'input' [batch, 1, 28, 28], output 'output' [batch, 10])");
    return 0;
}
