using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Training;

namespace NeuralNets.Tests.Threading;

/// <summary>
/// A training step marks the weights it changes, not the network it runs on: a Predict on any network that holds those
/// weights (one nested in the trained network, one that shares a layer with it) refuses to overlap the step; and the
/// evaluations run on inference copies, so that one on another thread never changes a training step's gradients.
/// </summary>
public class SharedWeightsGuardTests
{
    private static readonly float[] Sample = [1, -2];

    [Fact]
    public void Predict_OnANestedNetwork_WhileTheOuterNetworkSteps_Throws()
    {
        var body = new Sequential<float>([2], new Dense<float>(2, 3, seed: 1), new ReLU<float>());
        var outer = new Sequential<float>([2], body, new Dense<float>(3, 2, seed: 2));
        outer.BeginTrainingStep();
        var act = () => body.Predict(Sample);
        act.Should().Throw<InvalidOperationException>().WithMessage("*overlapped an optimizer step*");
        outer.EndTrainingStep();
        body.Predict(Sample).Should().HaveCount(3);
    }

    [Fact]
    public void Predict_OnTheOuterNetwork_WhileANestedNetworkIsLoaded_Throws()
    {
        var body = new Sequential<float>([2], new Dense<float>(2, 3, seed: 1));
        var outer = new Sequential<float>([2], body, new Dense<float>(3, 2, seed: 2));
        body.BeginTrainingStep();
        var act = () => outer.Predict(Sample);
        act.Should().Throw<InvalidOperationException>();
        body.EndTrainingStep();
        outer.Predict(Sample).Should().HaveCount(2);
    }

    [Fact]
    public void Predict_OnANetworkSharingALayer_WhileTheOtherNetworkSteps_Throws()
    {
        var shared = new Dense<float>(2, 2, seed: 3);
        var trained = new Sequential<float>([2], shared, new Sigmoid<float>());
        var served = new Sequential<float>([2], shared, new Tanh<float>());
        trained.BeginTrainingStep();
        var act = () => served.Predict(Sample);
        act.Should().Throw<InvalidOperationException>();
        trained.EndTrainingStep();
        served.Predict(Sample).Should().HaveCount(2);
    }

    [Fact]
    public void Predict_OnANetworkThatHoldsOneLayerTwice_WhileItSteps_Throws()
    {
        // The layer's weight is listed twice; counted twice, its marks would be even while the step runs.
        var tied = new Dense<float>(2, 2, seed: 4);
        var network = new Sequential<float>([2], tied, new ReLU<float>(), tied);
        network.Parameters.Should().HaveCount(4);
        network.BeginTrainingStep();
        var act = () => network.Predict(Sample);
        act.Should().Throw<InvalidOperationException>();
        network.EndTrainingStep();
        network.Predict(Sample).Should().HaveCount(2);
    }

    [Fact]
    public void Evaluate_BetweenATrainingForwardAndItsBackward_LeavesTheGradientsAsTheyWere()
    {
        // The gap a training step leaves between its passes, where an evaluation on another thread may fall: the
        // evaluation once ran the network's own layers and overwrote what the backward pass reads.
        var (network, batch, outputGradient) = TwoLayerProblem();
        var expected = Gradients(network, batch, outputGradient, between: null);
        var other = Dataset<float>.FromLabels(TestTensors.Random<float>(9, 5, 4), [0, 1, 2, 0, 1], 3);
        var actual = Gradients(network, batch, outputGradient,
            between: () => network.Evaluate(other, new SoftmaxCrossEntropy<float>(), batchSize: 5));
        for (int p = 0; p < expected.Length; p++) actual[p].Should().Equal(expected[p], $"parameter {p}");
    }

    [Fact]
    public void Reports_BetweenATrainingForwardAndItsBackward_LeaveTheGradientsAsTheyWere()
    {
        var (network, batch, outputGradient) = TwoLayerProblem();
        var expected = Gradients(network, batch, outputGradient, between: null);
        var labels = Dataset<float>.FromLabels(TestTensors.Random<float>(9, 5, 4), [0, 1, 2, 0, 1], 3);
        var regression = new Dataset<float>(TestTensors.Random<float>(10, 6, 4), TestTensors.Random<float>(11, 6, 3));
        Gradients(network, batch, outputGradient, between: () => network.ReportClassification(labels, batchSize: 5))
            .Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        Gradients(network, batch, outputGradient, between: () => network.ReportRegression(regression, batchSize: 6))
            .Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Evaluate_GivesWhatTheNetworksOwnInferencePassGives()
    {
        var (network, _, _) = TwoLayerProblem();
        var data = Dataset<float>.FromLabels(TestTensors.Random<float>(12, 7, 4), [0, 1, 2, 0, 1, 2, 2], 3);
        var loss = new SoftmaxCrossEntropy<float>();
        double expected = loss.Forward(network.Forward(data.Features, training: false), data.Targets);
        network.Evaluate(data, loss, batchSize: 7).Loss.Should().Be(expected);
    }

    private static (Sequential<float> Network, Tensor<float> Batch, Tensor<float> OutputGradient) TwoLayerProblem() =>
        (new Sequential<float>([4], new Dense<float>(4, 6, seed: 5), new Sigmoid<float>(), new Dense<float>(6, 3, seed: 6)),
         TestTensors.Random<float>(7, 3, 4), TestTensors.Random<float>(8, 3, 3));

    private static float[][] Gradients(Sequential<float> network, Tensor<float> batch, Tensor<float> outputGradient, Action? between)
    {
        network.ZeroGradients();
        network.Forward(batch, training: true);
        between?.Invoke();
        network.Backward(outputGradient);
        return network.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();
    }
}
