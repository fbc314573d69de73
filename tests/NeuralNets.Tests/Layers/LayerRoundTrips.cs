using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Tests.Layers;

/// <summary>The checks a new layer kind's tests share: a network holding it predicts the same bits from many threads, and saves and loads.</summary>
internal static class LayerRoundTrips
{
    /// <summary>Predict from many threads at once, and a frozen copy, give each input's serial bits (16 inputs of batch 1 to 5).</summary>
    public static void PredictsFromManyThreadsAndFrozenAsSerial(Sequential<float> network, int[] sampleShape)
    {
        var inputs = Enumerable.Range(0, 16).Select(i => TestTensors.Random<float>(100 + i, [1 + i % 5, .. sampleShape])).ToArray();
        var serial = inputs.Select(x => network.Predict(x).ToArray()).ToArray();
        var parallel = new float[inputs.Length][];
        Parallel.For(0, inputs.Length * 4, i => parallel[i % inputs.Length] = network.Predict(inputs[i % inputs.Length]).ToArray());
        for (int i = 0; i < inputs.Length; i++) parallel[i].Should().Equal(serial[i]);
        var frozen = network.Freeze();
        for (int i = 0; i < inputs.Length; i++) frozen.Predict(inputs[i]).ToArray().Should().Equal(serial[i], "a frozen copy predicts the same bits");
    }

    /// <summary>A model file and the trainer's checkpoint load back into a network of the same layers, parameters and predictions.</summary>
    public static void SavesAndLoads(Sequential<double> network, Tensor<double> x, Trainer<double> trainer)
    {
        using var temp = new TempDirectory();
        ModelFile.Save(network, temp.File("model.json"));
        var loaded = ModelFile.Load<double>(temp.File("model.json"));
        loaded.ToString().Should().Be(network.ToString());
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());

        trainer.SaveCheckpoint(temp.File("checkpoint.json"));
        var restored = Checkpoint.LoadNetwork<double>(temp.File("checkpoint.json"));
        restored.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        restored.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }
}
