using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

public class SequentialPredictionsTests
{
    // Dense(2 → 3) with weight rows (1, 0), (0, 1), (1, 1) and bias (0, 0, −1): logits of (x, y) are (x, y, x + y − 1).
    private static Sequential<double> ThreeClasses(bool softmaxLayer = false)
    {
        var builder = Network.Sequential<double>(2).Dense(3);
        var network = (softmaxLayer ? builder.Softmax() : builder).Build(seed: 1);
        network.Parameters[0].SetValue([1, 0, 0, 1, 1, 1]);
        network.Parameters[1].SetValue([0, 0, -1]);
        return network;
    }

    [Fact]
    public void PredictProbabilities_Logits_SoftmaxHandComputed()
    {
        var batch = TensorMemory.Wrap(new double[] { 1, 2, 0, 0 }, [2, 2]);

        var probabilities = ThreeClasses().PredictProbabilities(batch).Span().ToArray();

        // Sample 0: logits (1, 2, 2); sample 1: (0, 0, −1).
        double z0 = Math.Exp(1) + 2 * Math.Exp(2), z1 = 2 + Math.Exp(-1);
        probabilities.Should().Equal([Math.Exp(1) / z0, Math.Exp(2) / z0, Math.Exp(2) / z0, 1 / z1, 1 / z1, Math.Exp(-1) / z1],
            (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void PredictProbabilities_HugeLogits_NoOverflow()
    {
        var probabilities = ThreeClasses().PredictProbabilities([1000.0, 0]);

        probabilities.Should().Equal([1 / (1 + Math.Exp(-1)), 0, Math.Exp(-1) / (1 + Math.Exp(-1))], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void PredictProbabilities_NetworkEndingInSoftmax_NotSquashedTwice()
    {
        var batch = TensorMemory.Wrap(new double[] { 1, 2 }, [1, 2]);

        var withLayer = ThreeClasses(softmaxLayer: true).PredictProbabilities(batch).Span().ToArray();

        withLayer.Should().Equal(ThreeClasses().PredictProbabilities(batch).Span().ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void PredictClass_SeveralOutputs_IndexOfLargestLogit()
    {
        var batch = TensorMemory.Wrap(new double[] { 3, 1, 0, 2, 2, 2 }, [3, 2]);

        ThreeClasses().PredictClass(batch).Should().Equal(0, 1, 2);
        ThreeClasses().PredictClass([0.0, 2]).Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SingleOutput_SigmoidProbabilityAndThresholdAtHalf(bool sigmoidLayer)
    {
        var builder = Network.Sequential<double>(1).Dense(1);
        var network = (sigmoidLayer ? builder.Sigmoid() : builder).Build(seed: 1);
        network.Parameters[0].SetValue([2]);
        network.Parameters[1].SetValue([-1]);  // logit 2x − 1
        var batch = TensorMemory.Wrap(new double[] { 0, 0.5, 1 }, [3, 1]);

        network.PredictProbabilities(batch).Span().ToArray().Should().Equal([1 / (1 + Math.E), 0.5, 1 / (1 + Math.Exp(-1))], (a, b) => Math.Abs(a - b) < 1e-15);
        network.PredictClass(batch).Should().Equal(0, 1, 1);
        network.PredictProbabilities([1.0]).Should().ContainSingle().Which.Should().BeApproximately(1 / (1 + Math.Exp(-1)), 1e-15);
    }

    [Fact]
    public void PredictClass_ManyThreads_SameAsSerial()
    {
        var network = Network.Sequential<float>(8).Dense(32).ReLU().Dense(5).Build(seed: 4);
        var random = new Random(1);
        var inputs = new float[64 * 8];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble() * 2 - 1;
        var batch = TensorMemory.Wrap(inputs, [64, 8]);
        int[] serialClasses = network.PredictClass(batch);
        float[] serialProbabilities = network.PredictProbabilities(batch).Span().ToArray();

        var results = new (int[] Classes, float[] Probabilities)[8 * 50];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => results[i] = (network.PredictClass(batch), network.PredictProbabilities(batch).Span().ToArray()));

        results.Should().AllSatisfy(r =>
        {
            r.Classes.Should().Equal(serialClasses);
            r.Probabilities.Should().Equal(serialProbabilities);
        });
    }

    [Fact]
    public void PredictClass_ImageOutput_SaysWhatItNeeds()
    {
        var network = Network.Sequential<float>([1, 4, 4]).Conv2D(2, kernel: 3, padding: 1).Build(seed: 1);

        var act = () => network.PredictClass(TensorMemory.Wrap(new float[16], [1, 1, 4, 4]));

        act.Should().Throw<InvalidOperationException>().WithMessage("*one vector of scores per sample, shape [N, K]*outputs [1, 2, 4, 4]*");
    }
}
