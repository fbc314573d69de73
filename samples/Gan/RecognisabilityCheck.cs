using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Samples.Gan;

/// <summary>What a classifier trained on real images says of generated ones.</summary>
/// <param name="ClassifierAccuracy">The classifier's accuracy on held-out real images.</param>
/// <param name="PerClass">Per class: the share of its generated samples the classifier labelled as that class.</param>
/// <param name="Overall">The share over all classes.</param>
public sealed record Recognisability(double ClassifierAccuracy, IReadOnlyList<double> PerClass, double Overall);

/// <summary>
/// The recognisability check: a classifier trained on the real images labels N generated samples per class; the
/// figure is the share labelled as the class the generator was asked for.
/// </summary>
public static class RecognisabilityCheck
{
    /// <summary>Trains <paramref name="classifier"/> on <paramref name="train"/> and returns its accuracy on <paramref name="test"/>.</summary>
    public static double TrainClassifier(Sequential<float> classifier, Dataset<float> train, Dataset<float> test, int epochs, int seed)
    {
        var trainer = new Trainer<float>(classifier, new SoftmaxCrossEntropy<float>(), new Adam<float>(classifier.Parameters, learningRate: 1e-3));
        trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = seed });
        return trainer.Evaluate(test).Accuracy ?? throw new InvalidOperationException("The test set has no class labels.");
    }

    /// <summary>Labels <paramref name="perClass"/> samples of every class drawn from <paramref name="gan"/> with noise from <paramref name="seed"/>.</summary>
    public static Recognisability Judge(ConditionalGan gan, Sequential<float> classifier, double classifierAccuracy, int classCount, int perClass, int seed)
    {
        var labels = new int[classCount * perClass];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / perClass;
        var logits = classifier.Predict(gan.Sample(labels, seed));
        ReadOnlySpan<float> scores = logits.Span();
        var hits = new int[classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classCount, classCount);
            int best = 0;
            for (int c = 1; c < classCount; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) hits[labels[i]]++;
        }
        return new Recognisability(classifierAccuracy, hits.Select(h => h / (double)perClass).ToArray(), hits.Sum() / (double)labels.Length);
    }
}
