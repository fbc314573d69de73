#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
using TorchModule = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The step race (<see cref="StepRace"/>) over multilayer perceptrons of any shape, so that a layer size the fixed
/// networks do not have (a 100-input layer, three hidden layers, a tabular input) is measured the same way. A network is
/// written as its sizes joined by dashes, each hidden size followed by its layers in order: <c>784-300r-100r-10</c> is
/// 784 inputs, dense 300 with ReLU, dense 100 with ReLU, dense 10 (s: sigmoid, r: ReLU, t: tanh, g: GELU, n: batch
/// normalisation, d: dropout of 0.2, so <c>784-256nrd-10</c> is dense, BatchNorm1D, ReLU, Dropout). Softmax cross-entropy
/// and SGD, as in the fixed races. An input written as an image's dimensions, <c>1x28x28-128s-10</c>, is a batch of images
/// flattened by the network's first layer (Keras' and PyTorch's <c>Flatten</c>), as a beginner's MLP on MNIST is written.
/// </summary>
internal static class ShapeRace
{
    /// <summary>The shapes raced when none are given: each with its batch.</summary>
    private static readonly (string Shape, int Batch)[] Defaults =
    [
        ("784-128s-10", 32), ("784-128s-10", 128), ("1x28x28-128s-10", 64), ("784-30s-10", 64), ("784-100s-10", 64), ("784-300r-100r-10", 64),
        ("784-256r-128r-10", 64), ("784-256r-128r-10", 256), ("100-1000r-100", 64), ("13-64r-64r-3", 32), ("2-16t-16t-2", 32),
        ("784-256rd-10", 64), ("784-256nr-10", 64),
    ];

    /// <summary>Races every shape of <paramref name="arguments"/> (pairs of shape and batch), or the defaults.</summary>
    public static void Run(string[] arguments)
    {
        Console.WriteLine(TorchRuntime.Prepare());
        if (arguments.Length % 2 != 0) throw new ArgumentException("Give shapes and batches in pairs, e.g. 784-300r-100r-10 64.");
        var shapes = arguments.Length == 0
            ? Defaults
            : Enumerable.Range(0, arguments.Length / 2)
                .Select(i => (arguments[2 * i], int.Parse(arguments[2 * i + 1], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        foreach (var (shape, batch) in shapes) StepRace.Race($"MLP {shape}, batch {batch}", new ShapedMlp(shape, batch));
    }

    /// <summary>One shape's training step in both libraries.</summary>
    private sealed class ShapedMlp : TrainingStepBenchmark
    {
        public ShapedMlp(string shape, int batch)
        {
            FairScheduling.Apply();
            string[] parts = shape.Split('-');
            if (parts.Length < 2) throw new ArgumentException($"'{shape}': a shape needs inputs and at least one layer, e.g. 784-128s-10.");
            int[] sample = parts[0].Split('x').Select(d => ParseSize(d, shape)).ToArray();
            int inputs = sample.Aggregate(1, (a, b) => a * b);
            var ours = Network.Sequential<float>(sample);
            var theirs = new List<(string, TorchModule)>();
            if (sample.Length > 1)
            {
                ours = ours.Flatten();
                theirs.Add(("flatten", torch.nn.Flatten()));
            }
            int width = inputs;
            foreach (string part in parts.Skip(1))
            {
                int digits = part.TakeWhile(char.IsAsciiDigit).Count();
                int size = ParseSize(part[..digits], shape);
                ours = ours.Dense(size);
                theirs.Add((theirs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), torch.nn.Linear(width, size)));
                width = size;
                foreach (char layer in part[digits..])
                {
                    ours = layer switch
                    {
                        's' => ours.Sigmoid(), 'r' => ours.ReLU(), 't' => ours.Tanh(), 'g' => ours.GELU(), 'n' => ours.BatchNorm1D(), 'd' => ours.Dropout(0.2),
                        _ => throw new ArgumentException($"'{shape}': '{layer}' is not a layer (s, r, t, g, n or d)."),
                    };
                    TorchModule torchLayer = layer switch
                    {
                        's' => torch.nn.Sigmoid(), 'r' => torch.nn.ReLU(), 't' => torch.nn.Tanh(), 'g' => torch.nn.GELU(),
                        'n' => torch.nn.BatchNorm1d(size), _ => torch.nn.Dropout(0.2),
                    };
                    theirs.Add((theirs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), torchLayer));
                }
            }
            float[] x = BenchmarkData.Uniform(batch * inputs, 1, 0, 1);
            float[] y = BenchmarkData.Labels(batch, width, 2);
            long[] shapeOfBatch = [batch, .. sample.Select(d => (long)d)];
            UseNeuralNets(ours.Build(seed: 1), BenchmarkData.Wrap(x, [batch, .. sample]), BenchmarkData.Wrap(y, batch));
            UseTorch(torch.nn.Sequential(theirs.ToArray()), torch.tensor(x, shapeOfBatch),
                torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { batch }));
        }

        private static int ParseSize(string text, string shape) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) && size > 0
                ? size
                : throw new ArgumentException($"'{shape}': '{text}' is not a layer size.");
    }
}
#endif
