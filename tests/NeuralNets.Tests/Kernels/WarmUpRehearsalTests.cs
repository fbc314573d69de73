using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The warm-ups that layers, losses and optimizers queue run their passes on private twins: each is run here directly (the
/// warm-up thread swallows failures, which would hide a rehearsal that stopped fitting its layer), and none may touch the
/// caller's objects.
/// </summary>
public class WarmUpRehearsalTests
{
    private static Sequential<T> EveryLayerKind<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([2, 9, 9])
            .Conv2D(3, kernel: 3, padding: 1).BatchNorm2D().ReLU().Conv2D(3, kernel: 3, padding: 1, groups: 3).MaxPool2D(2).Conv2D(4, kernel: 2).PReLU(perChannel: true).LayerNorm().AvgPool2D(1)
            .ConvTranspose2D(2, kernel: 2).GELU().GlobalAvgPool2D().Flatten().Dense(6).Tanh().Dropout(0.25).LeakyReLU()
            .Dense(8).ELU().SiLU().Softplus().Sigmoid().Unflatten(1, [2, 4]).Flatten().BatchNorm1D().PReLU().LayerNorm(elementwiseAffine: false).Dense(5).LogSoftmax().Dense(4).Hardswish().Hardsigmoid().ReLU6().Dense(3).Softmax()
            .Build(seed: 3);

    public static TheoryData<bool> ShapesKnown => new() { true, false };

    [Theory]
    [MemberData(nameof(ShapesKnown))]
    public void Rehearse_EveryLayerKind_FloatAndDouble_RunsWithoutError(bool shapeKnown)
    {
        RehearseAll(EveryLayerKind<float>(), shapeKnown);
        RehearseAll(EveryLayerKind<double>(), shapeKnown);
    }

    private static void RehearseAll<T>(Sequential<T> network, bool shapeKnown) where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<int>? shape = shapeKnown ? network.InputShape : null;
        foreach (var layer in network.Layers)
        {
            var act = () => LayerRehearsal.Rehearse(layer, shape?.ToArray());
            act.Should().NotThrow($"rehearsing {layer}");
            if (shape is not null) shape = layer.OutputShape(shape);
        }
    }

    [Fact]
    public void RehearseNetwork_FloatAndDouble_RunsWithoutError()
    {
        var act = () =>
        {
            LayerRehearsal.RehearseNetwork<float>();
            LayerRehearsal.RehearseNetwork<double>();
        };
        act.Should().NotThrow();
    }

    [Fact]
    public void Rehearse_BetweenForwardAndBackward_LeavesTheNetworkItsCachedPassAndItsParameters()
    {
        // The same training pass twice, the second with every layer rehearsed between its forward and backward pass:
        // the gradients and the parameters must come out bit-identical.
        var x = TestTensors.Random<double>(5, 4, 2, 9, 9);
        var plain = Pass(EveryLayerKind<double>(), x, rehearse: false);
        var rehearsed = Pass(EveryLayerKind<double>(), x, rehearse: true);
        rehearsed.Should().Equal(plain);
    }

    private static double[] Pass(Sequential<double> network, Tensor<double> x, bool rehearse)
    {
        var output = network.Forward(x, training: true);
        if (rehearse) RehearseAll(network, shapeKnown: true);
        var gradient = Tensor.Create(Enumerable.Range(0, (int)output.FlattenedLength).Select(i => (i % 5 - 2) * 0.25).ToArray(), output.Lengths);
        var inputGradient = network.Backward(gradient);
        // A second training pass draws dropout's next mask; the running statistics are state beside the parameters.
        var next = network.Forward(x, training: true);
        var statistics = network.Layers.OfType<BatchNorm<double>>().SelectMany(b => b.RunningMean.ToArray().Concat(b.RunningVariance.ToArray()));
        return [.. inputGradient.ToArray(), .. network.Parameters.SelectMany(p => p.Gradient.ToArray().Concat(p.Value.ToArray())),
            .. next.ToArray(), .. statistics];
    }

    [Fact]
    public void LbfgsRehearsal_FloatAndDouble_RunsWithoutErrorAndLeavesTheCallersRuleAsItWas()
    {
        var parameter = new Parameter<double>("w", 3);
        parameter.SetValue([1, -2, 0.5]);
        var rule = new Lbfgs<double>([parameter], maxIterations: 3);
        double Evaluate()
        {
            var x = parameter.ValueSpan;
            var g = parameter.GradientSpan;
            for (int i = 0; i < 3; i++) g[i] = 4 * x[i] * x[i] * x[i];
            return x[0] * x[0] * x[0] * x[0] + x[1] * x[1] * x[1] * x[1] + x[2] * x[2] * x[2] * x[2];
        }
        rule.Step(Evaluate);
        var before = (parameter.ValueSpan.ToArray(), rule.StoredPairs, rule.Steps, rule.Iterations);

        var act = () =>
        {
            Lbfgs<float>.Rehearse();
            Lbfgs<double>.Rehearse();
        };

        act.Should().NotThrow();
        (parameter.ValueSpan.ToArray(), rule.StoredPairs, rule.Steps, rule.Iterations).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void LossRehearsals_FloatAndDouble_RunWithoutErrorAndLeaveTheCallersLossAsItWas()
    {
        var logits = Tensor.Create(new double[] { 0.5, -1, 2, 0, 0.25, 1 }, [2, 3]);
        var labels = Tensor.Create(new double[] { 2, 0 }, [2]);
        var loss = new SoftmaxCrossEntropy<double>();
        double value = loss.Forward(logits, labels);
        var act = () =>
        {
            LossRehearsal.RehearseSoftmaxCrossEntropy<float>();
            LossRehearsal.RehearseSoftmaxCrossEntropy<double>();
            LossRehearsal.RehearseNegativeLogLikelihood<float>();
            LossRehearsal.RehearseNegativeLogLikelihood<double>();
            LossRehearsal.RehearseMeanSquaredError<float>();
            LossRehearsal.RehearseMeanSquaredError<double>();
            LossRehearsal.RehearseBinaryCrossEntropyWithLogits<float>();
            LossRehearsal.RehearseBinaryCrossEntropyWithLogits<double>();
            LossRehearsal.RehearseL1Loss<float>();
            LossRehearsal.RehearseHuber<double>();
            LossRehearsal.RehearseCrossEntropy<float>(null, 0);
            LossRehearsal.RehearseCrossEntropy<double>([1, 2, 0.5], 0.1);
        };
        act.Should().NotThrow();
        var gradient = loss.Backward().ToArray();
        var fresh = new SoftmaxCrossEntropy<double>();
        fresh.Forward(logits, labels).Should().Be(value);
        gradient.Should().Equal(fresh.Backward().ToArray());
    }

    public static TheoryData<string> OptimizerKinds => new() { "Sgd", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RmsProp", "Adam", "AdamW", "Nadam" };

    private static ElementwiseOptimizer<T> Optimizer<T>(string kind, Parameter<T> p) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        "Sgd" => new Sgd<T>([p], 0.1, weightDecay: 0.01),
        "Momentum" => new Momentum<T>([p], 0.1),
        "Nesterov" => new Nesterov<T>([p], 0.1),
        "Adagrad" => new Adagrad<T>([p], 0.1),
        "Adadelta" => new Adadelta<T>([p]),
        "RmsProp" => new RmsProp<T>([p], 0.01),
        "Adam" => new Adam<T>([p], amsgrad: true),
        "AdamW" => new AdamW<T>([p]),
        "Nadam" => new Nadam<T>([p]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Theory]
    [MemberData(nameof(OptimizerKinds))]
    public void RehearseUpdate_EveryOptimizer_LeavesItsParametersStateAndStepsAsTheyWere(string kind)
    {
        // Two runs of three steps, the second with a rehearsal before, between and during the steps (the warm-up thread runs
        // while the caller's step does; Nesterov's rehearsal once overwrote the weights its step keeps): bit-identical values and state.
        RunSteps<double>(kind, rehearse: true).Should().Equal(RunSteps<double>(kind, rehearse: false));
        RunSteps<float>(kind, rehearse: true).Should().Equal(RunSteps<float>(kind, rehearse: false));
    }

    private static T[] RunSteps<T>(string kind, bool rehearse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new Parameter<T>("w", 37);
        for (int i = 0; i < p.Length; i++) p.ValueSpan[i] = T.CreateTruncating(i % 11 - 5) / T.CreateTruncating(4);
        var optimizer = Optimizer(kind, p);
        for (int step = 0; step < 3; step++)
        {
            if (rehearse) optimizer.RehearseUpdate();
            optimizer.Step(() =>
            {
                for (int i = 0; i < p.Length; i++) p.GradientSpan[i] = p.ValueSpan[i] * T.CreateTruncating(step + 1) / T.CreateTruncating(3);
                if (rehearse) optimizer.RehearseUpdate();
                return T.Zero;
            });
        }
        var state = optimizer.State[0];
        var values = new List<T>(p.ValueSpan.ToArray());
        foreach (string b in state.BufferNames) values.AddRange(state[b].ToArray());
        values.Add(T.CreateTruncating(state.Step));
        return [.. values];
    }
}
