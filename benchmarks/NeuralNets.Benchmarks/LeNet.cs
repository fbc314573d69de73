using NeuralNets.Layers;
#if WITH_TORCH
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>The LeNet-like CNN of the benchmarks, in NeuralNets and (with TorchSharp) in PyTorch's layout.</summary>
internal static class LeNet
{
    public static Sequential<float> Build(int seed) =>
        Network.Sequential<float>(1, 28, 28)
            .Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2)
            .Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10)
            .Build(seed);

#if WITH_TORCH
    public static torch.nn.Module<TorchTensor, TorchTensor> BuildTorch() =>
        torch.nn.Sequential(
            ("0", torch.nn.Conv2d(1, 6, 5, padding: 2)), ("1", torch.nn.ReLU()), ("2", torch.nn.MaxPool2d(2)),
            ("3", torch.nn.Conv2d(6, 16, 5)), ("4", torch.nn.ReLU()), ("5", torch.nn.MaxPool2d(2)),
            ("6", torch.nn.Flatten()), ("7", torch.nn.Linear(400, 120)), ("8", torch.nn.ReLU()),
            ("9", torch.nn.Linear(120, 84)), ("10", torch.nn.ReLU()), ("11", torch.nn.Linear(84, 10)));
#endif
}
