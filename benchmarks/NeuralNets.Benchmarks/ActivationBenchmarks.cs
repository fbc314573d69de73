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
/// Forward plus backward of the activations on the MLP's hidden layer (64 × 128) and on the
/// LeNet-like network's first feature maps (64 × 6 × 28 × 28).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private readonly Sigmoid<float> _sigmoid = new();
    private readonly Tanh<float> _tanh = new();
    private readonly ReLU<float> _relu = new();
    private Tensor<float> _x = null!, _dy = null!;
#if WITH_TORCH
    private TorchTensor _tx = null!, _tdy = null!;
#endif

    [Params(8192, 301056)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x = BenchmarkData.Uniform(Elements, 1, -4, 4), dy = BenchmarkData.Uniform(Elements, 2);
        _x = BenchmarkData.Wrap(x, 64, Elements / 64);
        _dy = BenchmarkData.Wrap(dy, 64, Elements / 64);
#if WITH_TORCH
        TorchRuntime.Prepare();
        _tx = torch.tensor(x, 64, Elements / 64).requires_grad_(true);
        _tdy = torch.tensor(dy, 64, Elements / 64);
#endif
    }

    [Benchmark, BenchmarkCategory("Sigmoid")]
    public Tensor<float> SigmoidNeuralNets() => Run(_sigmoid);

    [Benchmark, BenchmarkCategory("Tanh")]
    public Tensor<float> TanhNeuralNets() => Run(_tanh);

    [Benchmark, BenchmarkCategory("ReLU")]
    public Tensor<float> ReLUNeuralNets() => Run(_relu);

    private Tensor<float> Run(Activation<float> activation)
    {
        activation.Forward(_x, training: true);
        return activation.Backward(_dy);
    }

#if WITH_TORCH
    [Benchmark(Baseline = true), BenchmarkCategory("Sigmoid")]
    public void SigmoidTorchSharp() => RunTorch(x => torch.sigmoid(x));

    [Benchmark(Baseline = true), BenchmarkCategory("Tanh")]
    public void TanhTorchSharp() => RunTorch(x => torch.tanh(x));

    [Benchmark(Baseline = true), BenchmarkCategory("ReLU")]
    public void ReLUTorchSharp() => RunTorch(x => torch.nn.functional.relu(x));

    private void RunTorch(Func<TorchTensor, TorchTensor> activation)
    {
        using var scope = torch.NewDisposeScope();
        var y = activation(_tx);
        y.backward(new[] { _tdy });
        _tx.grad!.zero_();
    }
#endif
}
