// CnnFilters: trains a small CNN on Fashion-MNIST, then draws what it learned with the library's
// Diagnostics: the first layer's filters with a colour scale, the feature maps one test image produces
// in every convolution layer, the saliency of that image for its predicted class, and for every class
// the input that activation maximisation finds. Every picture is titled and labelled by the library.
using System.Diagnostics;
using System.Globalization;
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
using Spectre.Console;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return SampleOptions.Command(Run).Parse(args).Invoke();

static int Run(SampleOptions options)
{
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

    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(network.Parameters, options.LearningRate));
    var clock = Stopwatch.StartNew();
    var history = Training.Fit(trainer, train, new TrainingOptions { Epochs = options.Epochs, BatchSize = 32, Seed = options.Seed });
    var result = trainer.Evaluate(test);
    Console.WriteLine($"trained on {train.Count} images in {clock.Elapsed.TotalSeconds:F1} s; final training loss {history.Epochs[^1].TrainLoss:F4}, test accuracy {result.Accuracy:F4}");

    Directory.CreateDirectory(options.OutputDirectory);
    var written = new List<string>();
    void Save(string name, Picture picture)
    {
        string path = Path.Combine(options.OutputDirectory, name);
        picture.SavePng(path);
        written.Add(path);
    }

    // The first layer's filters, labelled by index: blue negative, white 0, red positive, the scale's values beside its bar.
    Save("filters-conv1.png", Filters.Draw(firstConv, zoom: 12, title: "conv1: 16 filters, 7×7, after training"));

    // One test image, and what each convolution layer (after its ReLU) makes of it.
    var picked = test.Subset([options.Image]);
    var image = Tensor.Create(picked.Features.ToArray(), [1, 1, 28, 28]);
    int label = (int)picked.Targets[0];
    Save("input.png", ImageGrid.Draw(image, new ImageGridOptions { Zoom = 6, Spacing = 0, Title = $"test image {options.Image}: {FashionMnist.ClassNames[label]}" }));
    var outputs = FeatureMaps.Of(network, image);
    var reluAfterConvolution = Enumerable.Range(1, network.Layers.Count - 1)
        .Where(i => network.Layers[i - 1] is Conv2D<float> && network.Layers[i] is Activation<float>).ToArray();
    for (int k = 0; k < reluAfterConvolution.Length; k++)
    {
        var maps = outputs[reluAfterConvolution[k]];
        Save($"feature-maps-conv{k + 1}.png", FeatureMaps.Draw(maps, zoom: Math.Max(2, 112 / (int)maps.Output.Lengths[2]), columns: 8));
    }
    DeadChannelReport(network, test, outputs, reluAfterConvolution);

    // Saliency |∂y_c/∂x| of the predicted class c beside the image.
    Save("saliency.png", Saliency.Draw(network, image, FashionMnist.ClassNames, trueClass: label, zoom: 6));

    // For every class, the input gradient ascent finds for its score, labelled with the class's name.
    Save("class-maximisation.png", ActivationMaximization.DrawClasses(network, FashionMnist.ClassNames,
        new ActivationMaximizationOptions { Steps = 200, StepSize = 0.5, MaxNorm = 20, Seed = options.Seed }, zoom: 4, columns: 5));

    foreach (var path in written) Console.WriteLine($"wrote {path}");
    return 0;
}

// A channel that is 0 everywhere for the drawn image may just not respond to it; one that is 0 for every
// one of 1 000 test images is a dead ReLU unit. The table tells the two apart.
static void DeadChannelReport(Sequential<float> network, Dataset<float> test, IReadOnlyList<LayerOutput<float>> outputs, int[] layers)
{
    var sample = test.Take(Math.Min(1000, test.Count));
    var table = new Table().AddColumns("layer", "constant 0 for the drawn image", $"0 for all {sample.Count} test images (dead)");
    foreach (int layer in layers)
    {
        var maps = outputs[layer].Output;
        int channels = (int)maps.Lengths[1], plane = (int)(maps.FlattenedLength / channels);
        var values = maps.ToArray();
        var flat = Enumerable.Range(0, channels).Where(c => TensorPrimitives.MaxMagnitude(values.AsSpan(c * plane, plane)) == 0);
        var maxima = FeatureMaps.ChannelMaxima(network, layer, sample.Features);
        var dead = Enumerable.Range(0, channels).Where(c => maxima[c] <= 0);
        table.AddRow($"{layer} {network.Layers[layer]}", List(flat), List(dead));
    }
    AnsiConsole.Write(table);

    static string List(IEnumerable<int> channels) => channels.Any() ? string.Join(", ", channels) : "none";
}
