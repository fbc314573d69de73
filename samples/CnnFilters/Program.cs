// CnnFilters: trains a small CNN on Fashion-MNIST, then draws what it learned with the library's
// Diagnostics: the first layer's filters with a colour scale, the feature maps one test image produces
// in every convolution layer, the saliency of that image for its predicted class, and for every class
// the input that activation maximisation finds. Each PNG is written by the library (PngWriter).
using System.Diagnostics;
using System.Numerics.Tensors;
using CnnFiltersSample;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
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
void Save(string name, Picture picture)
{
    string path = Path.Combine(options.OutputDirectory, name);
    picture.SavePng(path);
    written.Add(path);
}

// The first layer's filters, one 7×7 tile each, index order row by row: blue negative, white 0, red positive; the bar on the right is the scale.
Save("filters-conv1.png", Filters.Draw(firstConv, zoom: 16));

// One test image, and what each convolution layer (after its ReLU) makes of it, channels in index order.
var picked = test.Subset([options.Image]);
var pixels = new float[784];
picked.Features.FlattenTo(pixels);
int label = (int)picked.Targets[0];
var image = Tensor.Create(pixels, [1, 1, 28, 28]);
Save("input.png", ImageGrid.Draw(image, new ImageGridOptions { Zoom = 8, Spacing = 0 }));
var outputs = FeatureMaps.Of(network, image);
int convolution = 0;
for (int i = 0; i < outputs.Count; i++)
{
    bool afterConvolution = i > 0 && network.Layers[i - 1] is Conv2D<float> && network.Layers[i] is Activation<float>;
    if (!afterConvolution) continue;
    var maps = outputs[i].Output;
    var channels = Tensor.Create(maps.ToArray(), [(int)maps.Lengths[1], 1, (int)maps.Lengths[2], (int)maps.Lengths[3]]);
    Save($"feature-maps-conv{++convolution}.png", ImageGrid.Draw(channels,
        new ImageGridOptions { Columns = 8, Zoom = Math.Max(2, 112 / (int)maps.Lengths[2]), ColorBar = true }));
}

// Saliency |∂y_c/∂x| of the predicted class c over the image.
var scores = network.Predict(image).ToArray();
int predicted = Array.IndexOf(scores, scores.Max());
Save("saliency.png", ImageGrid.Draw(Saliency.ForPredictedClass(network, image), new ImageGridOptions { Zoom = 8, ColorBar = true }));

// For every class, the input gradient ascent finds for its score (classes in index order, row by row).
var maximised = new float[10 * 784];
for (int c = 0; c < 10; c++)
    ActivationMaximization.ForClass(network, c, new ActivationMaximizationOptions { Steps = 200, StepSize = 0.5, MaxNorm = 20, Seed = options.Seed })
        .ToArray().CopyTo(maximised, c * 784);
Save("class-maximisation.png", ImageGrid.Draw(Tensor.Create(maximised, [10, 1, 28, 28]),
    new ImageGridOptions { Columns = 5, Zoom = 4, Diverging = true, ScaleEachImage = true }));

Console.WriteLine($"test image {options.Image}: {FashionMnist.ClassNames[label]}, predicted {FashionMnist.ClassNames[predicted]}");
foreach (var path in written) Console.WriteLine($"wrote {path}");

var result = trainer.Evaluate(test);
Console.WriteLine($"test accuracy: {result.Accuracy:F4}");
return 0;
