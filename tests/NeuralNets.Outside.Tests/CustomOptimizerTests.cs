using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Outside.Tests;

/// <summary>An optimizer written outside the library (<see cref="Lion{T}"/>) does what the built-in ones do, through the public kit only.</summary>
public class CustomOptimizerTests
{
    [Fact]
    public void Step_ThreeSteps_MatchTheFormula()
    {
        // f(w) = ½ Σ aᵢwᵢ², ∇f = a ⊙ w.
        double[] a = [1, -2, 3, 0.5], w = [0.3, -0.2, 0.1, 0.4], m = new double[4];
        var p = new Parameter<double>("w", 4);
        w.CopyTo(p.ValueSpan);
        var lion = new Lion<double>([p], learningRate: 0.01, beta1: 0.8, beta2: 0.9, weightDecay: 0.1);
        for (int step = 0; step < 3; step++)
        {
            lion.Step(() =>
            {
                for (int i = 0; i < 4; i++) p.GradientSpan[i] = a[i] * p.ValueSpan[i];
                return 0;
            });
            for (int i = 0; i < 4; i++)
            {
                double g = a[i] * w[i];
                double c = 0.8 * m[i] + (1 - 0.8) * g;
                w[i] -= 0.01 * (Math.Sign(c) + 0.1 * w[i]);
                m[i] = 0.9 * m[i] + (1 - 0.9) * g;
            }
        }
        p.ValueSpan.ToArray().Should().Equal(w);
        lion.State["w"]["exp_avg"].ToArray().Should().Equal(m);
        lion.State["w"].Step.Should().Be(3);
    }

    [Fact]
    public void Fit_SmallClassifier_LossFalls()
    {
        var network = Network.Sequential<float>(2).Dense(16).Tanh().Dense(2).Build(seed: 3);
        var data = TwoBlobs(200, seed: 5);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Lion<float>(network.Parameters, learningRate: 3e-3));
        var history = trainer.Fit(data, new TrainingOptions { Epochs = 8, BatchSize = 20, Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        history.Epochs[^1].TrainLoss.Should().BeLessThan(0.5 * history.Epochs[0].TrainLoss);
        history.Epochs[^1].TrainAccuracy.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void ExportImport_IntoFreshObjects_ResumesBitForBit()
    {
        var straight = Mlp(out var x, out var labels);
        var straightLion = new Lion<float>(straight.Parameters, 1e-3);
        for (int i = 0; i < 6; i++) straightLion.Step(Evaluate(straight, x, labels));

        var first = Mlp(out _, out _);
        var firstLion = new Lion<float>(first.Parameters, 1e-3);
        for (int i = 0; i < 3; i++) firstLion.Step(Evaluate(first, x, labels));
        var snapshot = firstLion.ExportState();
        snapshot.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");
        snapshot.Parameters[0].Buffers["exp_avg"].Should().HaveCount(784 * 128);

        var second = Mlp(out _, out _);
        for (int p = 0; p < first.Parameters.Count; p++) first.Parameters[p].ValueSpan.CopyTo(second.Parameters[p].ValueSpan);
        var secondLion = new Lion<float>(second.Parameters, 0.5, beta1: 0.1);
        secondLion.ImportState(snapshot);
        (secondLion.LearningRate, secondLion.Beta1).Should().Be((1e-3, 0.9), "the snapshot carries the hyperparameters");
        for (int i = 0; i < 3; i++) secondLion.Step(Evaluate(second, x, labels));

        for (int p = 0; p < straight.Parameters.Count; p++)
            second.Parameters[p].ValueSpan.ToArray().Should().Equal(straight.Parameters[p].ValueSpan.ToArray(), straight.Parameters[p].Name);
    }

    [Fact]
    public void Step_OneAndTwoThreads_GiveTheSameBits()
    {
        // The first weight (100,352 floats) is split across the helper threads when there are two.
        int saved = Parallelism.MaxThreads;
        try
        {
            float[][] RunWith(int threads)
            {
                Parallelism.MaxThreads = threads;
                var network = Mlp(out var x, out var labels);
                var lion = new Lion<float>(network.Parameters, 1e-3, weightDecay: 0.01);
                for (int i = 0; i < 5; i++) lion.Step(Evaluate(network, x, labels));
                return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
            }
            var one = RunWith(1);
            var two = RunWith(2);
            for (int p = 0; p < one.Length; p++) two[p].Should().Equal(one[p]);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        var network = Mlp(out var x, out var labels);
        var lion = new Lion<float>(network.Parameters, 1e-3);
        var evaluate = Evaluate(network, x, labels);
        for (int i = 0; i < 5; i++) lion.Step(evaluate);

        ThreadAllocation.LeastOf(() =>
        {
            for (int i = 0; i < 20; i++) lion.Step(evaluate);
        }).Should().Be(0);
    }

    [Fact]
    public void Hyperparameters_AreValidatedAndShownLikeTheBuiltInOnes()
    {
        var lion = new Lion<double>([new Parameter<double>("w", 1)], learningRate: 1e-3, weightDecay: 0.1);
        lion.ToString().Should().Be("Lion(learningRate=0.001, beta1=0.9, beta2=0.99, weightDecay=0.1)");
        lion.Invoking(l => l.Beta2 = 1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("beta2 must lie in ?0, 1), but was 1*");
        lion.Invoking(l => l.LearningRate = -1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("learningRate *-1*");
    }

    private static Sequential<float> Mlp(out Tensor<float> x, out Tensor<float> labels)
    {
        var random = new Random(11);
        x = Tensor.Create(Enumerable.Range(0, 16 * 784).Select(_ => (float)random.NextDouble()).ToArray(), [16, 784]);
        labels = Tensor.Create(Enumerable.Range(0, 16).Select(i => (float)(i % 10)).ToArray(), [16]);
        return Network.Sequential<float>(784).Dense(128).ReLU().Dense(10).Build(seed: 7);
    }

    // The training loop's closure, made once: it allocates nothing per call.
    private static Func<float> Evaluate(Sequential<float> network, Tensor<float> x, Tensor<float> labels)
    {
        var loss = new SoftmaxCrossEntropy<float>();
        return () =>
        {
            network.ZeroGradients();
            float value = loss.Forward(network.Forward(x, training: true), labels);
            network.BackwardToParameters(loss.Backward());
            return value;
        };
    }

    private static Dataset<float> TwoBlobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            double centre = labels[i] == 0 ? -1 : 1;
            features[i] = [(float)(centre + 0.5 * (random.NextDouble() - 0.5)), (float)(-centre + 0.5 * (random.NextDouble() - 0.5))];
        }
        return Dataset<float>.FromLabels(features, labels, 2);
    }
}
