using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
#if WITH_TORCH
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;
#endif

namespace NeuralNets.Benchmarks;

/// <summary>
/// One training step, the same on both sides: zero gradients, forward, softmax cross-entropy,
/// backward, plain SGD update. A subclass builds the two networks and the batch in its setup.
/// </summary>
public abstract class TrainingStepBenchmark
{
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private Func<float> _evaluate = null!;
    private Sequential<float> _network = null!;
    private Tensor<float> _x = null!, _y = null!;
    private Sgd<float> _sgd = null!;

    /// <summary>Wires NeuralNets' side: the network, its batch and an SGD rule with η = 0.01.</summary>
    protected void UseNeuralNets(Sequential<float> network, Tensor<float> x, Tensor<float> y)
    {
        _network = network;
        _x = x;
        _y = y;
        _sgd = new Sgd<float>(network.Parameters, learningRate: 0.01);
        _evaluate = Evaluate;
    }

    [Benchmark]
    public float NeuralNets() => _sgd.Step(_evaluate);

    private float Evaluate()
    {
        TrainerZeroing.ZeroGradientsDeferred(_network);
        var output = _network.Forward(_x, training: true);
        float loss = _loss.Forward(output, _y);
        // As the Trainer does: the input needs no gradient (PyTorch skips it too).
        _network.BackwardToParameters(_loss.Backward());
        return loss;
    }

#if WITH_TORCH
    private torch.nn.Module<TorchTensor, TorchTensor> _model = null!;
    private torch.optim.Optimizer _optimizer = null!;
    private TorchTensor _tx = null!, _ty = null!;

    /// <summary>Wires TorchSharp's side: the model, its batch (labels as int64) and torch.optim.SGD with η = 0.01.</summary>
    protected void UseTorch(torch.nn.Module<TorchTensor, TorchTensor> model, TorchTensor x, TorchTensor y)
    {
        _model = model;
        _optimizer = torch.optim.SGD(model.parameters(), 0.01);
        _tx = x;
        _ty = y;
    }

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
