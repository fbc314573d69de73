using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NeuralNets.Layers;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// The LeNet-like network's two convolutions (forward, then backward with the input gradient) and
/// its first max-pooling (forward and backward), batch 64.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ConvolutionBenchmarks
{
    private Conv2D<float> _conv1 = null!, _conv2 = null!;
    private readonly MaxPool2D<float> _pool = new(2);
    private Tensor<float> _x1 = null!, _dy1 = null!, _x2 = null!, _dy2 = null!, _dyPool = null!;
#if WITH_TORCH
    private torch.nn.Module<TorchTensor, TorchTensor> _tconv1 = null!, _tconv2 = null!;
    private TorchTensor _tx1 = null!, _tdy1 = null!, _tx2 = null!, _tdy2 = null!, _tdyPool = null!;
#endif

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x1 = BenchmarkData.Uniform(64 * 28 * 28, 1, 0, 1), dy1 = BenchmarkData.Uniform(64 * 6 * 28 * 28, 2);
        float[] x2 = BenchmarkData.Uniform(64 * 6 * 14 * 14, 3), dy2 = BenchmarkData.Uniform(64 * 16 * 10 * 10, 4);
        float[] dyPool = BenchmarkData.Uniform(64 * 6 * 14 * 14, 5);
        _x1 = BenchmarkData.Wrap(x1, 64, 1, 28, 28);
        _dy1 = BenchmarkData.Wrap(dy1, 64, 6, 28, 28);
        _x2 = BenchmarkData.Wrap(x2, 64, 6, 14, 14);
        _dy2 = BenchmarkData.Wrap(dy2, 64, 16, 10, 10);
        _dyPool = BenchmarkData.Wrap(dyPool, 64, 6, 14, 14);
        _conv1 = new Conv2D<float>(1, 6, 5, seed: 1, padding: 2);
        _conv2 = new Conv2D<float>(6, 16, 5, seed: 2);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _tconv1 = torch.nn.Conv2d(1, 6, 5, padding: 2);
        _tconv2 = torch.nn.Conv2d(6, 16, 5);
        _tx1 = torch.tensor(x1, 64, 1, 28, 28).requires_grad_(true);
        _tdy1 = torch.tensor(dy1, 64, 6, 28, 28);
        _tx2 = torch.tensor(x2, 64, 6, 14, 14).requires_grad_(true);
        _tdy2 = torch.tensor(dy2, 64, 16, 10, 10);
        _tdyPool = torch.tensor(dyPool, 64, 6, 14, 14);
#endif
    }

    [Benchmark, BenchmarkCategory("Conv 1→6 5×5 pad 2, 28×28")]
    public Tensor<float> Conv1NeuralNets()
    {
        _conv1.Forward(_x1, training: true);
        return _conv1.Backward(_dy1);
    }

    [Benchmark, BenchmarkCategory("Conv 6→16 5×5, 14×14")]
    public Tensor<float> Conv2NeuralNets()
    {
        _conv2.Forward(_x2, training: true);
        return _conv2.Backward(_dy2);
    }

    [Benchmark, BenchmarkCategory("MaxPool 2, 6×28×28")]
    public Tensor<float> MaxPoolNeuralNets()
    {
        _pool.Forward(_dy1, training: true);
        return _pool.Backward(_dyPool);
    }

#if WITH_TORCH
    [Benchmark(Baseline = true), BenchmarkCategory("Conv 1→6 5×5 pad 2, 28×28")]
    public void Conv1TorchSharp() => RunTorch(_tconv1, _tx1, _tdy1);

    [Benchmark(Baseline = true), BenchmarkCategory("Conv 6→16 5×5, 14×14")]
    public void Conv2TorchSharp() => RunTorch(_tconv2, _tx2, _tdy2);

    [Benchmark(Baseline = true), BenchmarkCategory("MaxPool 2, 6×28×28")]
    public void MaxPoolTorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        var input = _tdy1.detach().requires_grad_(true);
        var y = torch.nn.functional.max_pool2d(input, 2);
        y.backward(new[] { _tdyPool });
    }

    private static void RunTorch(torch.nn.Module<TorchTensor, TorchTensor> conv, TorchTensor x, TorchTensor dy)
    {
        using var scope = torch.NewDisposeScope();
        var y = conv.forward(x);
        y.backward(new[] { dy });
        x.grad!.zero_();
    }
#endif
}
