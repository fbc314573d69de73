using System.Numerics.Tensors;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Training;

/// <summary>
/// A training step allocates nothing, counted over every thread of the process (the helper threads
/// included), at sizes where every product, activation and convolution is split across the team.
/// </summary>
[Collection(ProcessWideMeasurement.Name)]
public class TrainingStepAllocationTests
{
    private const int Steps = 100;

    public static TheoryData<string, string> Cases => new()
    {
        { "MLP", "Sgd" }, { "MLP", "Adam" }, { "MLP", "Nesterov" }, { "LeNet", "Sgd" }, { "LeNet", "AdamW" },
        // Batch 256: the forward product's chunks have enough rows to pack the weight as they go.
        { "MLP batch 256", "Sgd" },
        // PyTorch's MNIST example, scaled down: log-softmax, the negative log-likelihood, Adadelta.
        { "MNIST example", "Adadelta" },
        // PReLU, one slope per channel of the images and one for the dense layer's outputs: the slopes' block sums reused.
        { "PReLU CNN", "Adam" },
        // LayerNorm over each image's [C, H, W] and over the dense layer's features: the per-sample statistics reused.
        { "LayerNorm CNN", "Adam" },
        // Residual blocks, one with a projection shortcut: the sums of the branches and of their gradients reused.
        { "ResNet", "Momentum" },
        // A label per pixel: CrossEntropy with ignored pixels, weights and smoothing; LogSoftmax over the channels and NLL.
        { "Segmentation CE", "Adam" }, { "Segmentation NLL", "Sgd" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_AfterWarmUp_AllocatesNothingOnAnyThread(string networkKind, string optimizerKind)
    {
        int batch = networkKind == "MLP batch 256" ? 256 : 64;
        var (network, x) = networkKind.StartsWith("Segmentation", StringComparison.Ordinal)
            ? (networkKind.EndsWith("NLL", StringComparison.Ordinal)
                ? Network.Sequential<float>(3, 16, 16).Conv2D(8, kernel: 3, padding: 1).ReLU().Conv2D(4, kernel: 1).LogSoftmax().Build(seed: 1)
                : Network.Sequential<float>(3, 16, 16).Conv2D(8, kernel: 3, padding: 1).ReLU().Conv2D(4, kernel: 1).Build(seed: 1),
               TestTensors.Random<float>(1, 64, 3, 16, 16))
            : networkKind == "ResNet"
            ? (Layers.TinyResNets.Build<float>([3, 16, 16], width: 8, wider: 16, classes: 10, seed: 1), TestTensors.Random<float>(1, 64, 3, 16, 16))
            : networkKind == "LayerNorm CNN"
            ? (Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).LayerNorm().ReLU().MaxPool2D(2).Flatten().Dense(64).LayerNorm().ReLU()
                .Dense(10).Build(seed: 1), TestTensors.Random<float>(1, 64, 1, 28, 28))
            : networkKind == "PReLU CNN"
            ? (Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).PReLU(perChannel: true).MaxPool2D(2).Flatten().Dense(64).PReLU()
                .Dense(10).Build(seed: 1), TestTensors.Random<float>(1, 64, 1, 28, 28))
            : networkKind.StartsWith("MLP", StringComparison.Ordinal)
            ? (Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1), TestTensors.Random<float>(1, batch, 784))
            : networkKind == "MNIST example"
            ? (Network.Sequential<float>(1, 12, 12).Conv2D(4, kernel: 3).ReLU().Conv2D(8, kernel: 3).ReLU().MaxPool2D(2).Dropout(0.25)
                .Flatten().Dense(16).ReLU().Dropout(0.5).Dense(10).LogSoftmax().Build(seed: 1), TestTensors.Random<float>(1, batch, 1, 12, 12))
            : (Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
                .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2).Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10).Build(seed: 1),
               TestTensors.Random<float>(1, 64, 1, 28, 28));
        IOptimizer<float> optimizer = optimizerKind switch
        {
            "Sgd" => new Sgd<float>(network.Parameters, 0.01),
            "Adam" => new Adam<float>(network.Parameters, 1e-3),
            "Nesterov" => new Nesterov<float>(network.Parameters, 0.01, 0.9),
            "Adadelta" => new Adadelta<float>(network.Parameters),
            "Momentum" => new Momentum<float>(network.Parameters, 0.01, 0.9),
            _ => new AdamW<float>(network.Parameters, 1e-3),
        };
        var labels = Tensor.Create(Enumerable.Range(0, batch).Select(i => (float)(i % 10)).ToArray(), [batch]);
        ILoss<float> loss = networkKind == "MNIST example" ? new NegativeLogLikelihood<float>() : new SoftmaxCrossEntropy<float>();
        if (networkKind.StartsWith("Segmentation", StringComparison.Ordinal))
        {
            labels = Tensor.Create(Enumerable.Range(0, batch * 256).Select(i => i % 9 == 0 ? -100f : i % 4).ToArray(), [batch, 16, 16]);
            loss = networkKind.EndsWith("NLL", StringComparison.Ordinal)
                ? new NegativeLogLikelihood<float>([1.0, 0.5, 2.0, 1.0], ignoreIndex: -100)
                : new CrossEntropy<float>([1.0, 0.5, 2.0, 1.0], labelSmoothing: 0.1, ignoreIndex: -100);
        }
        float Evaluate()
        {
            network.ZeroGradients();
            float value = loss.Forward(network.Forward(x, training: true), labels);
            network.BackwardToParameters(loss.Backward());
            return value;
        }
        Func<float> evaluate = Evaluate;
        for (int i = 0; i < 50; i++) optimizer.Step(evaluate); // warm-up: buffers sized, the JIT's final code in place

        long allocated = ProcessWideMeasurement.AllocatedBy(() =>
        {
            for (int i = 0; i < Steps; i++) optimizer.Step(evaluate);
        });
        // Any object made per step (24 bytes at least) would add up to a kilobyte here.
        allocated.Should().BeLessThan(Steps * 24, $"{Steps} steps of {networkKind} with {optimizerKind}, counted over every thread");
    }
}
