using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>A ResNet's training step and predictions give the same bits on one helper thread as on all of them.</summary>
[Collection(ProcessWideMeasurement.Name)] // changes the process-wide thread count: no other test runs meanwhile
public class ResidualThreadTests
{
    private static float[][] Run(int maxThreads)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            var network = TinyResNets.Build<float>([3, 16, 16], width: 8, wider: 16, classes: 10, seed: 2);
            var x = TestTensors.Random<float>(5, 32, 3, 16, 16);
            var labels = TestTensors.Create(Enumerable.Range(0, 32).Select(i => (float)(i % 10)).ToArray(), 32);
            var loss = new SoftmaxCrossEntropy<float>();
            network.ZeroGradients();
            loss.Forward(network.Forward(x, training: true), labels);
            var dx = network.Backward(loss.Backward()).ToArray();
            var inference = network.Predict(x).ToArray();
            return [dx, inference, .. network.Parameters.Select(p => p.GradientSpan.ToArray())];
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void TrainingStepAndPredict_OneThreadOrAll_BitIdentical()
    {
        var one = Run(1);
        var all = Run(Math.Max(2, Parallelism.DefaultMaxThreads));
        for (int i = 0; i < one.Length; i++) all[i].Should().Equal(one[i]);
    }
}
