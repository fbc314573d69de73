using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// A MobileNet block's depthwise 3×3 convolution (32 channels, groups 32, 16×16, batch 64), forward then backward with the
/// input gradient, beside the ordinary 32 → 32 convolution of the same shape and a two-group one: whether running the
/// im2col convolution once per group on its channels (GroupedConvolution) leaves the depthwise layer cheaper than the
/// ordinary one by about its 32-fold fewer multiply-adds, or whether it needs a path of its own.
/// </summary>
public class GroupedConvolutionBenchmarks
{
    private Conv2D<float> _depthwise = null!, _twoGroups = null!, _ordinary = null!;
    private Tensor<float> _x = null!, _dy = null!;

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        _x = BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 32 * 16 * 16, 1), 64, 32, 16, 16);
        _dy = BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 32 * 16 * 16, 2), 64, 32, 16, 16);
        _depthwise = new Conv2D<float>(32, 32, 3, seed: 1, padding: 1, groups: 32);
        _twoGroups = new Conv2D<float>(32, 32, 3, seed: 1, padding: 1, groups: 2);
        _ordinary = new Conv2D<float>(32, 32, 3, seed: 1, padding: 1);
    }

    [Benchmark]
    public Tensor<float> Depthwise() => Step(_depthwise);

    [Benchmark]
    public Tensor<float> TwoGroups() => Step(_twoGroups);

    [Benchmark(Baseline = true)]
    public Tensor<float> Ordinary() => Step(_ordinary);

    private Tensor<float> Step(Conv2D<float> layer)
    {
        layer.Forward(_x, training: true);
        return layer.Backward(_dy);
    }
}
