using System.Runtime.InteropServices;
using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Tests;
using NeuralNets.Training;

namespace NeuralNets.PortableChecks;

/// <summary>
/// Model files and checkpoints written and read back where the suite cannot go: a Native AOT build (no reflection over
/// the file's types at run time) and ARM64. Each returns null when it holds, or what was wrong.
/// </summary>
internal static class FileChecks
{
    public static string? ModelRoundTrip()
    {
        using var folder = new TempDirectory();
        var network = Network.Sequential<float>(1, 8, 8).Conv2D(3, 3, padding: 1).BatchNorm2D().ReLU().MaxPool2D(2)
            .Flatten().Dropout(0.25).Dense(6).BatchNorm1D(momentum: null, affine: false).Tanh().Unflatten(1, [2, 3]).Flatten().Dense(4).Build(seed: 5);
        string path = folder.File("model.json");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<float>(path);
        if (loaded.Layers.Count != network.Layers.Count) return $"{loaded.Layers.Count} layers loaded, {network.Layers.Count} saved";
        if (Bits(loaded) != Bits(network)) return "the loaded parameters are not the saved bits";
        var sample = Enumerable.Range(0, 64).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        if (!network.Predict(sample).AsSpan().SequenceEqual(loaded.Predict(sample))) return "the loaded network predicts other values";
        return Refused(path, text => text[..(text.Length / 2)], "a model file cut in half", p => ModelFile.Load<float>(p));
    }

    public static string? CheckpointResumes()
    {
        using var folder = new TempDirectory();
        var train = SyntheticData.GaussianBlobs<float>(pointsPerClass: 20, seed: 4);
        Trainer<float> Trainer(out Sequential<float> network)
        {
            network = Network.Sequential<float>(2).Dense(10).ReLU().Dropout(0.2).Dense(3).Build(seed: 2);
            return new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, 0.01));
        }
        TrainingOptions Epochs(int epochs) => new() { Epochs = epochs, BatchSize = 16, Seed = 3 };

        var straight = Trainer(out var straightNetwork);
        straight.Fit(train, Epochs(4));
        var first = Trainer(out var firstNetwork);
        first.Fit(train, Epochs(2));
        string path = folder.File("run.checkpoint.json");
        first.SaveCheckpoint(path);
        if (Bits(Checkpoint.LoadNetwork<float>(path)) != Bits(firstNetwork)) return "the checkpoint's network is not the saved bits";
        var resumed = Trainer(out var resumedNetwork);
        resumed.Fit(train, Epochs(4), resumeFrom: path);
        if (Bits(resumedNetwork) != Bits(straightNetwork)) return "two epochs resumed from a checkpoint end with other weights than four straight";
        return Refused(path, text => text.Replace("\"Epoch\"", "\"Epoc\""), "a checkpoint without its epoch", p => Checkpoint.LoadNetwork<float>(p));
    }

    private static string? Refused(string path, Func<string, string> damage, string what, Action<string> load)
    {
        File.WriteAllText(path, damage(File.ReadAllText(path)));
        try
        {
            load(path);
            return $"{what} was read";
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string Bits(Sequential<float> network) =>
        string.Join(";", network.Parameters.Select(p => Convert.ToBase64String(MemoryMarshal.AsBytes(p.ValueSpan))));
}
