using BenchmarkDotNet.Attributes;
using System.Numerics.Tensors;
#if WITH_TORCH
using NeuralNets.Benchmarks.Torch;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// One training step (zero gradients, forward, loss, backward, SGD update) of the LeNet-like CNN
/// on 28×28 images, batch 64: conv 5×5 6ch pad 2, ReLU, maxpool 2, conv 5×5 16ch, ReLU, maxpool 2,
/// dense 400→120, ReLU, 120→84, ReLU, 84→10, softmax cross-entropy.
/// </summary>
public class LeNetTrainingStepBenchmarks
{
    private Sequential<float> _network = null!;
    private SoftmaxCrossEntropy<float> _loss = null!;
    private Sgd<float> _sgd = null!;
    private Func<float> _evaluate = null!;
    private Tensor<float> _x = null!, _y = null!;
#if WITH_TORCH
    private torch.nn.Module<TorchTensor, TorchTensor> _model = null!;
    private torch.optim.Optimizer _optimizer = null!;
    private TorchTensor _tx = null!, _ty = null!;
#endif

    [Params(64)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FairScheduling.Apply();
        float[] x = BenchmarkData.Uniform(BatchSize * 784, 1, 0, 1), y = BenchmarkData.Labels(BatchSize, 10, 2);
        _x = BenchmarkData.Wrap(x, BatchSize, 1, 28, 28);
        _y = BenchmarkData.Wrap(y, BatchSize);
        _network = LeNet.Build(seed: 1);
        _loss = new SoftmaxCrossEntropy<float>();
        _sgd = new Sgd<float>(_network.Parameters, learningRate: 0.01);
        _evaluate = Evaluate;
#if WITH_TORCH
        TorchRuntime.Prepare();
        _model = LeNet.BuildTorch();
        _optimizer = torch.optim.SGD(_model.parameters(), 0.01);
        _tx = torch.tensor(x, BatchSize, 1, 28, 28);
        _ty = torch.tensor(y.Select(v => (long)v).ToArray(), new long[] { BatchSize });
#endif
    }

    [Benchmark]
    public float NeuralNets() => _sgd.Step(_evaluate);

    private float Evaluate()
    {
        _network.ZeroGradients();
        var output = _network.Forward(_x, training: true);
        float loss = _loss.Forward(output, _y);
        // As the Trainer does: the input needs no gradient (PyTorch skips it too).
        _network.BackwardToParameters(_loss.Backward());
        return loss;
    }

#if WITH_TORCH
    [Benchmark(Baseline = true)]
    public float TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        var output = _model.forward(_tx);
        var loss = torch.nn.functional.cross_entropy(output, _ty);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }
#endif
}
