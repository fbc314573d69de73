using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NeuralNets.Losses;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>Softmax cross-entropy on 10 classes: loss and its gradient with respect to the logits.</summary>
public class SoftmaxCrossEntropyBenchmarks
{
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private Tensor<float> _z = null!, _y = null!;
#if WITH_TORCH
    private TorchTensor _tz = null!, _ty = null!;
#endif

    [Params(64, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] z = BenchmarkData.Uniform(BatchSize * 10, 1, -3, 3), y = BenchmarkData.Labels(BatchSize, 10, 2);
        _z = BenchmarkData.Wrap(z, BatchSize, 10);
        _y = BenchmarkData.Wrap(y, BatchSize);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _tz = torch.tensor(z, BatchSize, 10).requires_grad_(true);
        _ty = torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { BatchSize });
#endif
    }

    [Benchmark]
    public Tensor<float> NeuralNets()
    {
        _loss.Forward(_z, _y);
        return _loss.Backward();
    }

#if WITH_TORCH
    [Benchmark(Baseline = true)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        var loss = torch.nn.functional.cross_entropy(_tz, _ty);
        loss.backward();
        _tz.grad!.zero_();
    }
#endif
}
