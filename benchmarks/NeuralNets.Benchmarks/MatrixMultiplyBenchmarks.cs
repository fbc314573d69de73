using BenchmarkDotNet.Attributes;
using NeuralNets.Kernels;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
#endif

namespace NeuralNets.Benchmarks;

/// <summary><c>C[m×n] = A[m×k]·B[k×n]</c>, float, at the shapes of the MLP and CNN layers.</summary>
public class MatrixMultiplyBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;
#if WITH_TORCH
    private torch.Tensor? _ta, _tb;
#endif

    /// <summary>m×k×n.</summary>
    [Params("64x784x128", "64x128x10", "128x800x500", "256x256x256")]
    public string Shape { get; set; } = "64x784x128";

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        var parts = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _k, _n) = (parts[0], parts[1], parts[2]);
        _a = BenchmarkData.Uniform(_m * _k, 1);
        _b = BenchmarkData.Uniform(_k * _n, 2);
        _c = new float[_m * _n];
#if WITH_TORCH
        TorchRuntime.Prepare();
        _ta = torch.tensor(_a, _m, _k);
        _tb = torch.tensor(_b, _k, _n);
#endif
    }

    [Benchmark]
    public void NeuralNets() => MatrixMultiply.Compute<float>(_a, false, _b, false, _c, _m, _n, _k, accumulate: false);

#if WITH_TORCH
    [Benchmark(Baseline = true)]
    public void TorchSharp()
    {
        using var product = torch.mm(_ta!, _tb!);
    }
#endif
}
