using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NeuralNets.Optimizers;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// One update of each optimizer over the MLP's parameters (784·128 + 128 + 128·10 + 10 = 101,770
/// floats), gradients already in place; <c>evaluate</c> only returns the loss.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OptimizerBenchmarks
{
    private static readonly int[][] Shapes = [[128, 784], [128], [10, 128], [10]];
    private readonly Dictionary<string, IOptimizer<float>> _ours = [];
    private readonly Func<float> _evaluate = static () => 1f;
#if WITH_TORCH
    private readonly Dictionary<string, torch.optim.Optimizer> _theirs = [];
#endif

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        foreach (string name in new[] { "Sgd", "Momentum", "Nesterov", "Adagrad", "Adadelta", "Adam", "AdamW", "Nadam", "RmsProp" })
        {
            var parameters = Shapes.Select((shape, i) =>
            {
                var p = new Parameter<float>($"p{i}", shape);
                p.SetValue(BenchmarkData.Uniform(p.Length, 10 + i));
                BenchmarkData.Uniform(p.Length, 20 + i).CopyTo(p.GradientSpan);
                return p;
            }).ToArray();
            _ours[name] = name switch
            {
                "Sgd" => new Sgd<float>(parameters, 0.01),
                "Momentum" => new Momentum<float>(parameters, 0.01, 0.9),
                "Nesterov" => new Nesterov<float>(parameters, 0.01, 0.9),
                "Adagrad" => new Adagrad<float>(parameters, 0.01),
                "Adadelta" => new Adadelta<float>(parameters),
                "Adam" => new Adam<float>(parameters),
                "AdamW" => new AdamW<float>(parameters),
                "Nadam" => new Nadam<float>(parameters),
                _ => new RmsProp<float>(parameters),
            };
#if WITH_TORCH
            TorchRuntime.Prepare();
            var tensors = Shapes.Select((shape, i) =>
            {
                var t = torch.tensor(BenchmarkData.Uniform(parameters[i].Length, 10 + i), shape.Select(d => (long)d).ToArray()).requires_grad_(true);
                t.grad = torch.tensor(BenchmarkData.Uniform(parameters[i].Length, 20 + i), shape.Select(d => (long)d).ToArray());
                return new TorchSharp.Modules.Parameter(t);
            }).ToArray();
            _theirs[name] = name switch
            {
                "Sgd" => torch.optim.SGD(tensors, 0.01),
                "Momentum" => torch.optim.SGD(tensors, 0.01, momentum: 0.9),
                "Nesterov" => torch.optim.SGD(tensors, 0.01, momentum: 0.9, nesterov: true),
                "Adagrad" => torch.optim.Adagrad(tensors, 0.01),
                "Adadelta" => torch.optim.Adadelta(tensors),
                "Adam" => torch.optim.Adam(tensors),
                "AdamW" => torch.optim.AdamW(tensors),
                // TorchSharp's NAdam computes its coefficients differently from PyTorch's (see Nadam's remarks),
                // but does the same tensor work per step, which is what is timed here.
                "Nadam" => torch.optim.NAdam(tensors),
                _ => torch.optim.RMSProp(tensors),
            };
#endif
        }
    }

    [Benchmark, BenchmarkCategory("Sgd")] public float SgdNeuralNets() => _ours["Sgd"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Momentum")] public float MomentumNeuralNets() => _ours["Momentum"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Nesterov")] public float NesterovNeuralNets() => _ours["Nesterov"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Adagrad")] public float AdagradNeuralNets() => _ours["Adagrad"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Adadelta")] public float AdadeltaNeuralNets() => _ours["Adadelta"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Adam")] public float AdamNeuralNets() => _ours["Adam"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("AdamW")] public float AdamWNeuralNets() => _ours["AdamW"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("Nadam")] public float NadamNeuralNets() => _ours["Nadam"].Step(_evaluate);
    [Benchmark, BenchmarkCategory("RmsProp")] public float RmsPropNeuralNets() => _ours["RmsProp"].Step(_evaluate);

#if WITH_TORCH
    [Benchmark(Baseline = true), BenchmarkCategory("Sgd")] public void SgdTorchSharp() => _theirs["Sgd"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Momentum")] public void MomentumTorchSharp() => _theirs["Momentum"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Nesterov")] public void NesterovTorchSharp() => _theirs["Nesterov"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Adagrad")] public void AdagradTorchSharp() => _theirs["Adagrad"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Adadelta")] public void AdadeltaTorchSharp() => _theirs["Adadelta"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Adam")] public void AdamTorchSharp() => _theirs["Adam"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("AdamW")] public void AdamWTorchSharp() => _theirs["AdamW"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("Nadam")] public void NadamTorchSharp() => _theirs["Nadam"].step();
    [Benchmark(Baseline = true), BenchmarkCategory("RmsProp")] public void RmsPropTorchSharp() => _theirs["RmsProp"].step();
#endif
}
