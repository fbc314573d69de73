#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchModule = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace NeuralNets.Benchmarks;

/// <summary>
/// The step race (<see cref="StepRace"/>) over two convolutional networks larger than LeNet, built the same way in both
/// libraries: the Keras MNIST example (3×3 convolutions of 32 and 64 channels with ReLU, 2×2 max pooling, dense 128 with
/// ReLU, dense 10) and a CIFAR-sized one (3×32×32 input, two 'same' 3×3 convolutions of 16 and 32 channels each followed
/// by ReLU and 2×2 max pooling, dense 10), the same with batch normalisation after each convolution, and LeNet-5 as
/// LeCun built it (tanh and 2×2 average pooling, 6 and 16 channels of 5×5, dense 120 and 84 with tanh; the form a
/// course teaches), and a VGG-style CIFAR network (four 3×3 convolutions of 32 and 64 channels with batch normalisation).
/// Softmax cross-entropy and SGD, as in the fixed races.
/// </summary>
internal static class ConvNetRace
{
    /// <summary>Races the networks named in <paramref name="only"/> (keras, cifar, cifarbn, lenet5, vgg), or all, at batch 32, 64, 64, 64 and 64 respectively.</summary>
    public static void Run(string[] only)
    {
        Console.WriteLine(TorchRuntime.Prepare());
        if (only.Length == 0 || only.Contains("keras")) StepRace.Race("Keras MNIST CNN, batch 32", new KerasMnist(32));
        if (only.Length == 0 || only.Contains("cifar")) StepRace.Race("CIFAR-sized CNN, batch 64", new CifarSized(64));
        if (only.Length == 0 || only.Contains("cifarbn")) StepRace.Race("CIFAR-sized CNN with BatchNorm2D, batch 64", new CifarSized(64, normalized: true));
        if (only.Length == 0 || only.Contains("lenet5")) StepRace.Race("LeNet-5 (tanh, average pooling), batch 64", new ClassicLeNet(64));
        if (only.Length == 0 || only.Contains("vgg")) StepRace.Race("VGG-style CIFAR CNN (four 3×3 convolutions with BatchNorm2D), batch 64", new VggStyleStep(64));
    }

    private static (float[] X, float[] Y) Batch(int batch, int channels, int size) =>
        (BenchmarkData.Uniform(batch * channels * size * size, 1, 0, 1), BenchmarkData.Labels(batch, 10, 2));

    private static torch.Tensor Labels(float[] y) => torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { y.Length });

    private static TorchModule Sequence(params TorchModule[] modules) =>
        torch.nn.Sequential(modules.Select((module, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), module)).ToArray());

    /// <summary>The Keras MNIST convolutional example's network.</summary>
    private sealed class KerasMnist : TrainingStepBenchmark
    {
        public KerasMnist(int batch)
        {
            FairScheduling.Apply();
            var (x, y) = Batch(batch, 1, 28);
            UseNeuralNets(RaceNetworks.KerasMnist(seed: 1), BenchmarkData.Wrap(x, batch, 1, 28, 28), BenchmarkData.Wrap(y, batch));
            UseTorch(Sequence(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                torch.nn.Flatten(), torch.nn.Linear(9216, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)), torch.tensor(x, batch, 1, 28, 28), Labels(y));
        }
    }

    /// <summary>LeNet-5 with its own tanh units and average pooling, on 28×28 images padded to LeNet's 32×32 by the first convolution.</summary>
    private sealed class ClassicLeNet : TrainingStepBenchmark
    {
        public ClassicLeNet(int batch)
        {
            FairScheduling.Apply();
            var (x, y) = Batch(batch, 1, 28);
            UseNeuralNets(Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).Tanh().AvgPool2D(2).Conv2D(16, kernel: 5).Tanh().AvgPool2D(2)
                .Flatten().Dense(120).Tanh().Dense(84).Tanh().Dense(10).Build(seed: 1), BenchmarkData.Wrap(x, batch, 1, 28, 28), BenchmarkData.Wrap(y, batch));
            UseTorch(Sequence(torch.nn.Conv2d(1, 6, 5, padding: 2), torch.nn.Tanh(), torch.nn.AvgPool2d(2), torch.nn.Conv2d(6, 16, 5), torch.nn.Tanh(),
                torch.nn.AvgPool2d(2), torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.Tanh(), torch.nn.Linear(120, 84), torch.nn.Tanh(),
                torch.nn.Linear(84, 10)), torch.tensor(x, batch, 1, 28, 28), Labels(y));
        }
    }

    /// <summary>
    /// <see cref="VggStyle"/>'s step against the same layers in TorchSharp. Most of its time is in 3×3 convolutions over
    /// 32×32 and 16×16 images with 32 and 64 channels in and out.
    /// </summary>
    private sealed class VggStyleStep : TrainingStepBenchmark
    {
        public VggStyleStep(int batch)
        {
            FairScheduling.Apply();
            var (x, y) = Batch(batch, 3, 32);
            UseNeuralNets(VggStyle.Build(seed: 1), BenchmarkData.Wrap(x, batch, 3, 32, 32), BenchmarkData.Wrap(y, batch));
            UseTorch(Sequence(
                torch.nn.Conv2d(3, 32, 3, padding: 1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(),
                torch.nn.Conv2d(32, 32, 3, padding: 1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                torch.nn.Conv2d(32, 64, 3, padding: 1), torch.nn.BatchNorm2d(64), torch.nn.ReLU(),
                torch.nn.Conv2d(64, 64, 3, padding: 1), torch.nn.BatchNorm2d(64), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                torch.nn.Flatten(), torch.nn.Linear(4096, 10)), torch.tensor(x, batch, 3, 32, 32), Labels(y));
        }
    }

    /// <summary>A small CIFAR-sized network.</summary>
    private sealed class CifarSized : TrainingStepBenchmark
    {
        public CifarSized(int batch, bool normalized = false)
        {
            FairScheduling.Apply();
            var (x, y) = Batch(batch, 3, 32);
            UseNeuralNets(RaceNetworks.CifarSized(normalized, seed: 1), BenchmarkData.Wrap(x, batch, 3, 32, 32), BenchmarkData.Wrap(y, batch));
            TorchModule[] torchLayers = normalized
                ? [torch.nn.Conv2d(3, 16, 3, padding: 1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                   torch.nn.Conv2d(16, 32, 3, padding: 1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(2048, 10)]
                : [torch.nn.Conv2d(3, 16, 3, padding: 1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                   torch.nn.Conv2d(16, 32, 3, padding: 1), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(2048, 10)];
            UseTorch(Sequence(torchLayers), torch.tensor(x, batch, 3, 32, 32), Labels(y));
        }
    }
}
#endif
