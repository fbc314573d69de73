using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Diagnostics;

public class AdversarialTests
{
    private static (Sequential<double> Network, Dataset<double> Data) TrainedOnBlobs()
    {
        var data = SyntheticData.GaussianBlobs<double>(pointsPerClass: 100, classes: 3, standardDeviation: 0.4, seed: 3);
        var network = Network.Sequential<double>(2).Dense(16, WeightInit.HeUniform).ReLU().Dense(3).Build(seed: 5);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(network.Parameters, 0.1));
        trainer.Fit(data, new TrainingOptions { Epochs = 30, BatchSize = 16, Seed = 2 });
        return (network, data);
    }

    private static double Accuracy(Sequential<double> network, System.Numerics.Tensors.Tensor<double> x, Dataset<double> data)
    {
        var output = network.Predict(x).ToArray();
        var labels = data.Targets.ToArray();
        int correct = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            var row = output.AsSpan(n * 3, 3);
            int best = row.IndexOf(row.ToArray().Max());
            if (best == (int)labels[n]) correct++;
        }
        return (double)correct / labels.Length;
    }

    [Fact]
    public void InputGradient_MatchesFiniteDifferencesOfTheLoss()
    {
        var (network, data) = TrainedOnBlobs();
        var x = data.Take(4);
        var loss = new SoftmaxCrossEntropy<double>();
        var gradient = Adversarial.InputGradient(network, loss, x.Features, x.Targets).ToArray();
        var values = x.Features.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            const double h = 1e-6;
            var plus = (double[])values.Clone(); plus[i] += h;
            var minus = (double[])values.Clone(); minus[i] -= h;
            double numeric = (loss.Forward(network.Forward(TestTensors.Create(plus, 4, 2), training: false), x.Targets)
                            - loss.Forward(network.Forward(TestTensors.Create(minus, 4, 2), training: false), x.Targets)) / (2 * h);
            gradient[i].Should().BeApproximately(numeric, 1e-7 * Math.Max(1, Math.Abs(numeric)));
        }
        network.Parameters.SelectMany(p => p.Gradient.ToArray()).Should().OnlyContain(g => g == 0, "an attack must not leave gradients behind");
    }

    [Fact]
    public void FastGradientSign_LargeBudget_BreaksAccuracyWithinTheBudget()
    {
        var (network, data) = TrainedOnBlobs();
        double clean = Accuracy(network, data.Features, data);
        var attacked = Adversarial.FastGradientSign(network, new SoftmaxCrossEntropy<double>(), data.Features, data.Targets, epsilon: 1.5, min: -10, max: 10);
        double after = Accuracy(network, attacked, data);
        clean.Should().BeGreaterThan(0.95);
        after.Should().BeLessThan(clean - 0.4);
        var cleanValues = data.Features.ToArray();
        attacked.ToArray().Select((v, i) => Math.Abs(v - cleanValues[i])).Max().Should().BeLessThanOrEqualTo(1.5 + 1e-12);
    }

    [Fact]
    public void Targeted_EnoughSteps_MakesTheNetworkPredictTheWantedClass()
    {
        var (network, data) = TrainedOnBlobs();
        var sample = data.Take(30);
        var wanted = TestTensors.Create(sample.Targets.ToArray().Select(t => (t + 1) % 3).ToArray(), 30);
        var attacked = Adversarial.Targeted(network, new SoftmaxCrossEntropy<double>(), sample.Features, wanted, epsilon: 4, stepSize: 0.1, steps: 60, min: -10, max: 10);
        var hijacked = Dataset<double>.FromLabels(attacked, wanted.ToArray().Select(v => (int)v).ToArray(), 3);
        Accuracy(network, attacked, hijacked).Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void FastGradientSign_NegativeEpsilon_IsRejectedWithItsValue()
    {
        var network = Network.Sequential<double>(2).Dense(2).Build(seed: 0);
        var act = () => Adversarial.FastGradientSign(network, new SoftmaxCrossEntropy<double>(), TestTensors.Random<double>(0, 1, 2), TestTensors.Create(new[] { 0.0 }, 1), epsilon: -0.1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-0.1*");
    }

    private static Sequential<double> LinearClassifier() => Network.Sequential<double>(2).Dense(3).Build(seed: 8);

    // z = Wx + b by hand, W stored [outputs, inputs].
    private static double[] Logits(Sequential<double> network, double[] x, int sample)
    {
        var dense = (Dense<double>)network.Layers[0];
        var w = dense.Weight.ValueSpan.ToArray();
        var b = dense.Bias!.ValueSpan.ToArray();
        return Enumerable.Range(0, 3).Select(k => b[k] + w[k * 2] * x[sample * 2] + w[k * 2 + 1] * x[sample * 2 + 1]).ToArray();
    }

    [Fact]
    public void Targeted_WithTrace_RecordsTheLogitsOfEveryIterate()
    {
        var network = LinearClassifier();
        var loss = new SoftmaxCrossEntropy<double>();
        var input = TestTensors.Create(new[] { 0.2, 0.7, 0.9, 0.1 }, 2, 2);
        var wanted = TestTensors.Create(new[] { 2.0, 0.0 }, 2);
        var trace = new AttackTrace<double>();
        var attacked = Adversarial.Targeted(network, loss, input, wanted, epsilon: 0.3, stepSize: 0.05, steps: 5, trace, min: -1, max: 2);

        trace.Iterations.Should().Be(6);
        (trace.Samples, trace.Outputs).Should().Be((2, 3));
        attacked.ToArray().Should().Equal(Adversarial.Targeted(network, loss, input, wanted, 0.3, 0.05, 5, min: -1, max: 2).ToArray(), "recording changes nothing");
        for (int iteration = 0; iteration <= 5; iteration++)
        {
            // x_k is the input after k steps: the attack with k steps gives it.
            var x = iteration == 0 ? input.ToArray() : Adversarial.Targeted(network, loss, input, wanted, 0.3, 0.05, iteration, min: -1, max: 2).ToArray();
            for (int n = 0; n < 2; n++)
            {
                var expected = Logits(network, x, n);
                for (int k = 0; k < 3; k++) trace.Output(iteration, n, k).Should().BeApproximately(expected[k], 1e-12, $"iterate {iteration}, sample {n}, logit {k}");
            }
        }
        trace.Series(0, 2).Should().Equal(Enumerable.Range(0, 6).Select(i => trace.Output(i, 0, 2)));
        trace.Series(0, 2)[^1].Should().BeGreaterThan(trace.Series(0, 2)[0], "the wanted class's logit rises");
    }

    [Fact]
    public void Targeted_TraceReusedForASmallerAttack_HoldsOnlyTheNewAttack()
    {
        var network = LinearClassifier();
        var loss = new SoftmaxCrossEntropy<double>();
        var trace = new AttackTrace<double>();
        Adversarial.Targeted(network, loss, TestTensors.Random<double>(1, 4, 2), TestTensors.Create(new[] { 0.0, 1, 2, 0 }, 4), 0.5, 0.1, 8, trace);
        var one = TestTensors.Create(new[] { 0.5, 0.5 }, 1, 2);
        Adversarial.Targeted(network, loss, one, TestTensors.Create(new[] { 1.0 }, 1), 0.5, 0.1, 2, trace);
        (trace.Iterations, trace.Samples, trace.Outputs).Should().Be((3, 1, 3));
        trace.At(0).ToArray().Zip(Logits(network, [0.5, 0.5], 0)).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-12);
        var act = () => trace.Output(3, 0, 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
