using BenchmarkDotNet.Attributes;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// One training step of the MLP 784-128(sigmoid)-10 with softmax cross-entropy and plain SGD
/// (zero gradients, forward, loss, backward, update), at batch 1, 64 and 256.
/// </summary>
public class MlpTrainingStepBenchmarks : TrainingStepBenchmark
{
    [Params(1, 64, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x = BenchmarkData.Uniform(BatchSize * 784, 1, 0, 1);
        float[] y = BenchmarkData.Labels(BatchSize, 10, 2);
        UseNeuralNets(Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1),
            BenchmarkData.Wrap(x, BatchSize, 784), BenchmarkData.Wrap(y, BatchSize));
#if WITH_TORCH
        TorchRuntime.Prepare();
        UseTorch(torch.nn.Sequential(("0", torch.nn.Linear(784, 128)), ("1", torch.nn.Sigmoid()), ("2", torch.nn.Linear(128, 10))),
            torch.tensor(x, BatchSize, 784), torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { BatchSize }));
#endif
    }
}
