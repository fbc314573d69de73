using BenchmarkDotNet.Attributes;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// One training step (zero gradients, forward, loss, backward, SGD update) of the LeNet-like CNN
/// on 28×28 images, batch 64: conv 5×5 6ch pad 2, ReLU, maxpool 2, conv 5×5 16ch, ReLU, maxpool 2,
/// dense 400→120, ReLU, 120→84, ReLU, 84→10, softmax cross-entropy.
/// </summary>
public class LeNetTrainingStepBenchmarks : TrainingStepBenchmark
{
    [Params(64)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x = BenchmarkData.Uniform(BatchSize * 784, 1, 0, 1), y = BenchmarkData.Labels(BatchSize, 10, 2);
        UseNeuralNets(LeNet.Build(seed: 1), BenchmarkData.Wrap(x, BatchSize, 1, 28, 28), BenchmarkData.Wrap(y, BatchSize));
#if WITH_TORCH
        TorchRuntime.Prepare();
        UseTorch(LeNet.BuildTorch(), torch.tensor(x, BatchSize, 1, 28, 28), torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { BatchSize }));
#endif
    }
}
