using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NeuralNets.Layers;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>Dense 784 → 128, batch 64: forward, then backward with the input gradient (dW, db and dx).</summary>
public class DenseBenchmarks
{
    private Dense<float> _dense = null!;
    private Tensor<float> _x = null!, _dy = null!;
#if WITH_TORCH
    private torch.nn.Module<TorchTensor, TorchTensor> _linear = null!;
    private TorchTensor _tx = null!, _tdy = null!;
#endif

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x = BenchmarkData.Uniform(64 * 784, 1, 0, 1), dy = BenchmarkData.Uniform(64 * 128, 2);
        _x = BenchmarkData.Wrap(x, 64, 784);
        _dy = BenchmarkData.Wrap(dy, 64, 128);
        _dense = new Dense<float>(784, 128, seed: 1);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _linear = torch.nn.Linear(784, 128);
        _tx = torch.tensor(x, 64, 784).requires_grad_(true);
        _tdy = torch.tensor(dy, 64, 128);
#endif
    }

    [Benchmark]
    public Tensor<float> NeuralNets()
    {
        _dense.Forward(_x, training: true);
        return _dense.Backward(_dy);
    }

#if WITH_TORCH
    [Benchmark(Baseline = true)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        var y = _linear.forward(_tx);
        y.backward(new[] { _tdy });
        // Gradients accumulate in .grad as ours do; clear the input's so it does not grow a chain.
        _tx.grad!.zero_();
    }
#endif
}
