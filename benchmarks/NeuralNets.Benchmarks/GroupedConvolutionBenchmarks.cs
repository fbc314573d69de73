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
/// A MobileNet block's depthwise 3×3 convolution (32 channels, groups 32, 16×16, batch 64), forward then backward with the
/// input gradient, beside a two-group one and the ordinary 32 → 32 convolution of the same shape; with TorchSharp built
/// in, libtorch's convolution of each kind beside ours (the baseline of each category).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GroupedConvolutionBenchmarks
{
    private const int Batch = 64, Channels = 32, Side = 16;
    private Conv2D<float> _depthwise = null!, _twoGroups = null!, _ordinary = null!;
    private Tensor<float> _x = null!, _dy = null!;
#if WITH_TORCH
    private TorchTensor _tx = null!, _tdy = null!;
    private TorchSharp.Modules.Conv2d _torchDepthwise = null!, _torchTwoGroups = null!, _torchOrdinary = null!;
#endif

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        int elements = Batch * Channels * Side * Side;
        float[] x = BenchmarkData.Uniform(elements, 1), dy = BenchmarkData.Uniform(elements, 2);
        _x = BenchmarkData.Wrap(x, Batch, Channels, Side, Side);
        _dy = BenchmarkData.Wrap(dy, Batch, Channels, Side, Side);
        _depthwise = new Conv2D<float>(Channels, Channels, 3, seed: 1, padding: 1, groups: Channels);
        _twoGroups = new Conv2D<float>(Channels, Channels, 3, seed: 1, padding: 1, groups: 2);
        _ordinary = new Conv2D<float>(Channels, Channels, 3, seed: 1, padding: 1);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _tx = torch.tensor(x, Batch, Channels, Side, Side).requires_grad_(true);
        _tdy = torch.tensor(dy, Batch, Channels, Side, Side);
        _torchDepthwise = torch.nn.Conv2d(Channels, Channels, 3, padding: 1, groups: Channels);
        _torchTwoGroups = torch.nn.Conv2d(Channels, Channels, 3, padding: 1, groups: 2);
        _torchOrdinary = torch.nn.Conv2d(Channels, Channels, 3, padding: 1);
#endif
    }

    [Benchmark, BenchmarkCategory("Depthwise")]
    public Tensor<float> Depthwise() => Step(_depthwise);

    [Benchmark, BenchmarkCategory("TwoGroups")]
    public Tensor<float> TwoGroups() => Step(_twoGroups);

    [Benchmark, BenchmarkCategory("Ordinary")]
    public Tensor<float> Ordinary() => Step(_ordinary);

    private Tensor<float> Step(Conv2D<float> layer)
    {
        layer.Forward(_x, training: true);
        return layer.Backward(_dy);
    }

#if WITH_TORCH
    [Benchmark(Baseline = true), BenchmarkCategory("Depthwise")]
    public void DepthwiseTorchSharp() => RunTorch(_torchDepthwise);

    [Benchmark(Baseline = true), BenchmarkCategory("TwoGroups")]
    public void TwoGroupsTorchSharp() => RunTorch(_torchTwoGroups);

    [Benchmark(Baseline = true), BenchmarkCategory("Ordinary")]
    public void OrdinaryTorchSharp() => RunTorch(_torchOrdinary);

    // Forward and backward to the input and the parameters; the weight gradients add up across calls, as ours do.
    private void RunTorch(TorchSharp.Modules.Conv2d layer)
    {
        using var scope = torch.NewDisposeScope();
        var y = layer.forward(_tx);
        y.backward(new[] { _tdy });
        _tx.grad!.zero_();
    }
#endif
}
