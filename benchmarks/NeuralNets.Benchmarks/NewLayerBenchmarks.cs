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
/// Forward plus backward of the issue 16 layers (GELU in both forms, SiLU, ELU, Softplus, BatchNorm2D in training) on the
/// LeNet-like network's first feature maps, 64 × 6 × 28 × 28, against libtorch's when built with TorchSharp.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NewLayerBenchmarks
{
    private const int Batch = 64, Channels = 6, Side = 28;
    private readonly GELU<float> _gelu = new();
    private readonly GELU<float> _geluTanh = new(tanhApproximation: true);
    private readonly SiLU<float> _silu = new();
    private readonly ELU<float> _elu = new();
    private readonly Softplus<float> _softplus = new();
    private readonly BatchNorm2D<float> _batchNorm = new(Channels);
    private Tensor<float> _x = null!, _dy = null!;
#if WITH_TORCH
    private TorchTensor _tx = null!, _tdy = null!;
    private TorchSharp.Modules.BatchNorm2d _torchBatchNorm = null!;
#endif

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        int elements = Batch * Channels * Side * Side;
        float[] x = BenchmarkData.Uniform(elements, 1, -4, 4), dy = BenchmarkData.Uniform(elements, 2);
        _x = Tensor.Create(x, [Batch, Channels, Side, Side]);
        _dy = Tensor.Create(dy, [Batch, Channels, Side, Side]);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _tx = torch.tensor(x, Batch, Channels, Side, Side).requires_grad_(true);
        _tdy = torch.tensor(dy, Batch, Channels, Side, Side);
        _torchBatchNorm = torch.nn.BatchNorm2d(Channels);
        _torchBatchNorm.train();
#endif
    }

    [Benchmark, BenchmarkCategory("GELU")]
    public Tensor<float> GeluNeuralNets() => Run(_gelu);

    [Benchmark, BenchmarkCategory("GELU(tanh)")]
    public Tensor<float> GeluTanhNeuralNets() => Run(_geluTanh);

    [Benchmark, BenchmarkCategory("SiLU")]
    public Tensor<float> SiluNeuralNets() => Run(_silu);

    [Benchmark, BenchmarkCategory("ELU")]
    public Tensor<float> EluNeuralNets() => Run(_elu);

    [Benchmark, BenchmarkCategory("Softplus")]
    public Tensor<float> SoftplusNeuralNets() => Run(_softplus);

    [Benchmark, BenchmarkCategory("BatchNorm2D")]
    public Tensor<float> BatchNormNeuralNets() => Run(_batchNorm);

    private Tensor<float> Run(ILayer<float> layer)
    {
        layer.Forward(_x, training: true);
        return layer.Backward(_dy);
    }

#if WITH_TORCH
    [Benchmark(Baseline = true), BenchmarkCategory("GELU")]
    public void GeluTorchSharp() => RunTorch(x => torch.nn.functional.gelu(x));

    [Benchmark(Baseline = true), BenchmarkCategory("SiLU")]
    public void SiluTorchSharp() => RunTorch(x => torch.nn.functional.silu(x));

    [Benchmark(Baseline = true), BenchmarkCategory("BatchNorm2D")]
    public void BatchNormTorchSharp() => RunTorch(x => _torchBatchNorm.forward(x));

    private void RunTorch(Func<TorchTensor, TorchTensor> layer)
    {
        using var scope = torch.NewDisposeScope();
        var y = layer(_tx);
        y.backward(new[] { _tdy });
        _tx.grad!.zero_();
    }
#endif
}
