// Deploy, part 1: trains a Fashion-MNIST classifier with NeuralNets, prints its test accuracy and exports it to ONNX.
// Part 2 (../Score) scores the same test set with ONNX Runtime alone and prints the same accuracy.
// Usage: dotnet run -c Release -- [model.onnx] [fashion-mnist directory]
using NeuralNets.Data;
using NeuralNets.Interop;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets;

string path = args.Length > 0 ? args[0] : "fashion-mnist.onnx";
string directory = args.Length > 1 ? args[1] : FashionMnist.DefaultDirectory;
var train = FashionMnist.Load<float>(directory, train: true);
var test = FashionMnist.Load<float>(directory, train: false);

var network = Network.Sequential<float>(inputShape: [1, 28, 28])
    .Flatten().Dense(128).ReLU().Dropout(0.1).Dense(10)
    .Build(seed: 42);
var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.001));
trainer.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 1 });

// Accuracy as the scorer computes it: the class with the largest output, image by image.
var scores = network.Predict(test.Features);
int correct = 0;
for (int i = 0; i < test.Count; i++)
{
    int predicted = 0;
    for (int c = 1; c < FashionMnist.ClassCount; c++)
        if (scores[i, c] > scores[i, predicted]) predicted = c;
    if (predicted == (int)test.Targets[i]) correct++;  // classification targets are the labels, [N]
}
Console.WriteLine($"NeuralNets test accuracy:   {(double)correct / test.Count:F4} ({correct} of {test.Count})");

OnnxFile.Save(network, path);
Console.WriteLine($"exported {path} (ONNX opset {OnnxFile.OperatorSetVersion}, input 'input' [batch, 1, 28, 28], output 'output' [batch, 10])");
