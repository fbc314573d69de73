// CnnFilters: trains a small CNN on Fashion-MNIST, then draws what it learned: the first layer's
// filters as a grid, and the feature maps one test image produces in every convolution layer.
// The pictures are PNG files written by this sample (PngWriter), not by the library.
using System.Diagnostics;
using System.Numerics.Tensors;
using CnnFiltersSample;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

SampleOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(SampleOptions.Usage);
        return 0;
    }
    options = SampleOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

Dataset<float> train, test;
try
{
    train = FashionMnist.Load<float>(options.DataDirectory, train: true);
    test = FashionMnist.Load<float>(options.DataDirectory, train: false);
}
catch (IOException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
// A short run (by default 20 000 images, 2 epochs) is enough for the pictures: once the loss has
// settled, further SGD steps mostly add noise to the filters.
if (options.TrainCount < train.Count) train = train.Take(options.TrainCount);
if (options.Image >= test.Count)
{
    Console.Error.WriteLine($"error: --image {options.Image} is past the last of the {test.Count} test images.");
    return 2;
}

// Two convolution layers, each followed by ReLU and 2×2 max pooling, then a small classifier.
// 7×7 filters in the first layer: large enough for an edge or a blob to be recognisable in the picture.
var network = Network.Sequential<float>(inputShape: [1, 28, 28])
    .Conv2D(16, kernel: 7, padding: 3).ReLU().MaxPool2D(2)
    .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2)
    .Flatten().Dense(64, WeightInit.HeUniform).ReLU().Dense(10)
    .Build(options.Seed);
Console.WriteLine(network);

// Start the first layer's filters at 1/20 of their He scale. Training changes only the part of a filter
// that matters to the loss; a full-size random start would stay in the filter as noise that hides it.
var firstConv = network.Layers.OfType<Conv2D<float>>().First();
TensorPrimitives.Multiply(firstConv.Weight.ValueSpan, 0.05f, firstConv.Weight.ValueSpan);

var optimizer = new Sgd<float>(network.Parameters, options.LearningRate);
var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer);
var clock = Stopwatch.StartNew();
trainer.Fit(train, new TrainingOptions { Epochs = options.Epochs, BatchSize = 32, Seed = options.Seed },
    progress: new SynchronousProgress<EpochReport>(Console.WriteLine));
Console.WriteLine($"trained on {train.Count} images in {clock.Elapsed.TotalSeconds:F1} s");

Directory.CreateDirectory(options.OutputDirectory);
var written = new List<string>();
void Save(string name, GrayImage image)
{
    string path = Path.Combine(options.OutputDirectory, name);
    PngWriter.Write(path, image);
    written.Add(path);
}

// The first layer's filters, one 7×7 tile each: 0 is mid-gray, positive weights light, negative dark.
Save("filters-conv1.png", Pictures.Filters(firstConv, scale: 16));

// One test image, and what each convolution layer (after its ReLU) makes of it.
var picked = test.Subset([options.Image]);
var pixels = new float[784];
picked.Features.FlattenTo(pixels);
int label = (int)picked.Targets[0];
Save("input.png", GrayImage.Grid([pixels], 28, 28, columns: 1, scale: 8, gap: 0, signed: false));
var maps = Pictures.FeatureMaps(network, pixels);
for (int i = 0; i < maps.Count; i++) Save($"feature-maps-conv{i + 1}.png", maps[i]);
Console.WriteLine($"test image {options.Image}: {FashionMnist.ClassNames[label]}");
foreach (var path in written) Console.WriteLine($"wrote {path}");

var result = trainer.Evaluate(test);
Console.WriteLine($"test accuracy: {result.Accuracy:F4}");
return 0;
