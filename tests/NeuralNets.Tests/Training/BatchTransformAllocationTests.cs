using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Training;

namespace NeuralNets.Tests.Training;

/// <summary>Augmenting and attacking a training batch allocates nothing once the buffers are sized, counted over every thread.</summary>
[Collection(ProcessWideMeasurement.Name)]
public class BatchTransformAllocationTests
{
    [Fact]
    public void Apply_AugmentThenAttack_AfterWarmUp_AllocatesNothing()
    {
        var data = new Dataset<float>(TestTensors.Random<float>(1, 100, 1, 28, 28), TestTensors.Create(Enumerable.Range(0, 100).Select(i => (float)(i % 10)).ToArray(), 100), 10);
        var network = Network.Sequential<float>(1, 28, 28).Conv2D(4, kernel: 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(10).Build(seed: 1);
        var options = new TrainingOptions
        {
            Augmentation = new ImageAugmentation { CropPadding = 2, HorizontalFlip = true, NoiseStandardDeviation = 0.1, Seed = 3 },
            Adversarial = new AdversarialTraining { Epsilon = 0.1, Fraction = 0.5 },
        };
        var transform = BatchTransform<float>.For(options, network, network.Parameters.ToArray(), new SoftmaxCrossEntropy<float>(), data)!;
        var batches = new MiniBatches<float>(data, batchSize: 32, seed: 2);  // three full batches and one of 4
        int epoch = 0;
        void Epoch()
        {
            epoch++;
            foreach (var batch in batches.NextEpoch()) transform.Apply(batch, epoch);
        }
        for (int i = 0; i < 3; i++) Epoch();

        long allocated = ProcessWideMeasurement.AllocatedBy(() =>
        {
            for (int i = 0; i < 5; i++) Epoch();
        });
        allocated.Should().BeLessThan(20 * 24, "20 batches; any object made per batch would add up to more");
    }
}
