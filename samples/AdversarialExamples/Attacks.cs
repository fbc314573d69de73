using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Training;
using NeuralNets.Training.Metrics;

/// <summary>The measurements the sample makes with the library's attacks.</summary>
internal static class Attacks
{
    /// <summary>Test accuracy under FGSM at each ε (ε = 0 is the clean accuracy).</summary>
    public static double[] AccuracyUnderFgsm(Sequential<float> network, Dataset<float> test, double[] epsilons)
    {
        var loss = new SoftmaxCrossEntropy<float>();
        var batches = new MiniBatches<float>(test, batchSize: 250, shuffle: false);
        var accuracy = new Accuracy<float>().CreateAccumulator();
        var result = new double[epsilons.Length];
        for (int e = 0; e < epsilons.Length; e++)
        {
            accuracy.Reset();
            foreach (var batch in batches.NextEpoch())
            {
                var attacked = Adversarial.FastGradientSign(network, loss, batch.Features, batch.Targets, epsilons[e]);
                accuracy.Add(network.Predict(attacked).ToArray(), batch.Targets.ToArray(), batch.Count);
            }
            result[e] = accuracy.Result;
        }
        return result;
    }

    /// <summary>The first <paramref name="count"/> test samples (of class <paramref name="label"/>, when given) the network classifies correctly.</summary>
    public static int[] CorrectlyClassified(Sequential<float> network, Dataset<float> data, int count, int? label = null)
    {
        var output = network.Predict(data.Features).ToArray();
        var truth = data.Targets.ToArray();
        var found = new List<int>();
        for (int i = 0; i < truth.Length && found.Count < count; i++)
            if ((label is null || (int)truth[i] == label) && TensorPrimitives.IndexOfMax<float>(output.AsSpan(i * 10, 10)) == (int)truth[i]) found.Add(i);
        if (found.Count == 0) throw new InvalidOperationException("no correctly classified sample of that class in the test subset");
        return [.. found];
    }
}
