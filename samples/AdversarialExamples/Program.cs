// Adversarial examples, as in the lecture: small changes to an image, made by following the loss's
// gradient with respect to the *input*, make a trained network misclassify it.
using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string directory = args.Length > 1 && args[0] == "--data" ? args[1] : FashionMnist.DefaultDirectory;
Dataset<float> train, test;
try
{
    train = FashionMnist.Load<float>(directory, train: true, flatten: true);
    test = FashionMnist.Load<float>(directory, train: false, flatten: true).Take(1000);
}
catch (IOException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

var network = Network.Sequential<float>(784).Dense(256, WeightInit.HeUniform).ReLU().Dense(10).Build(seed: 1);
var loss = new SoftmaxCrossEntropy<float>();
var trainer = new Trainer<float>(network, loss, new Adam<float>(network.Parameters, learningRate: 1e-3));
trainer.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 1 },
    progress: new SynchronousProgress<EpochReport>(Console.WriteLine));

// Untargeted: the fast gradient sign method at growing budgets ε (pixels are in [0, 1]).
Console.WriteLine();
Console.WriteLine("FGSM: x' = clip(x + ε·sign(∇x L(x, y)), 0, 1) on 1000 test images");
Console.WriteLine("    ε   accuracy");
var testBatches = new MiniBatches<float>(test, batchSize: 250, shuffle: false);
var accuracy = new Accuracy<float>().CreateAccumulator();
foreach (double epsilon in new[] { 0.0, 0.01, 0.02, 0.05, 0.1 })
{
    accuracy.Reset();
    foreach (var batch in testBatches.NextEpoch())
    {
        var attacked = Adversarial.FastGradientSign(network, loss, batch.Features, batch.Targets, epsilon);
        accuracy.Add(network.Predict(attacked).ToArray(), batch.Targets.ToArray(), batch.Count);
    }
    Console.WriteLine($"{epsilon,5:F2}   {accuracy.Result:F4}");
}

// Targeted: make a correctly classified sneaker read as a bag, with every pixel moved by at most 0.06.
int sneaker = FindCorrect(network, test, label: 7);
var image = test.Subset([sneaker]);
var wanted = Tensor.Create(new float[] { 8 }, [1]);
var forged = Adversarial.Targeted(network, loss, image.Features, wanted, epsilon: 0.06, stepSize: 0.005, steps: 40);
Console.WriteLine();
Console.WriteLine($"Targeted attack on test image {sneaker} ({FashionMnist.ClassNames[7]} → {FashionMnist.ClassNames[8]}), every pixel moved by at most 0.06:");
PrintSideBySide(image.Features, forged);
Console.WriteLine($"before: {Describe(network.Predict(image.Features))}");
Console.WriteLine($"after:  {Describe(network.Predict(forged))}");
return 0;

static int FindCorrect(Sequential<float> network, Dataset<float> data, int label)
{
    var output = network.Predict(data.Features).ToArray();
    var truth = data.Targets.ToArray();
    for (int i = 0; i < truth.Length; i++)
        if ((int)truth[i] == label && TensorPrimitives.IndexOfMax<float>(output.AsSpan(i * 10, 10)) == label) return i;
    throw new InvalidOperationException($"no correctly classified {FashionMnist.ClassNames[label]} in the test subset");
}

static string Describe(Tensor<float> logits)
{
    var values = logits.ToArray();
    var probabilities = new float[values.Length];
    TensorPrimitives.SoftMax(values, probabilities);
    int best = Array.IndexOf(probabilities, probabilities.Max());
    return $"{FashionMnist.ClassNames[best]} ({probabilities[best]:P1})";
}

static void PrintSideBySide(Tensor<float> left, Tensor<float> right)
{
    const string shades = " .:-=+*#%@";
    var a = left.ToArray();
    var b = right.ToArray();
    for (int y = 0; y < 28; y += 2)
    {
        var line = new System.Text.StringBuilder();
        for (int x = 0; x < 28; x++) line.Append(shades[(int)(Math.Clamp(a[y * 28 + x], 0, 0.999f) * shades.Length)]);
        line.Append("    ");
        for (int x = 0; x < 28; x++) line.Append(shades[(int)(Math.Clamp(b[y * 28 + x], 0, 0.999f) * shades.Length)]);
        Console.WriteLine(line);
    }
}
