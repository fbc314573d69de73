using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using static NeuralNets.Tests.Serialization.CheckpointRuns;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// Files whose layer descriptions spell a default out that the writer leaves out (<c>"bias": 1</c> of a Dense, Conv2D or
/// ConvTranspose2D, <c>"affine": 1</c> of a BatchNorm), as another writer or a hand may: they mean what the file without
/// it means, in a model file and in a checkpoint, where a run resumes only into the network it trained.
/// </summary>
public sealed class ExplicitDefaultSettingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Adds the setting, with the default's value 1, to every layer without it of <paramref name="kinds"/> in <paramref name="layers"/>, nested ones too.</summary>
    private static int SpellOut(JsonArray layers, string setting, params string[] kinds)
    {
        int added = 0;
        foreach (var layer in layers.Select(l => l!.AsObject()))
        {
            if (kinds.Contains(layer["Kind"]!.GetValue<string>()) && !layer["Settings"]!.AsObject().ContainsKey(setting))
            {
                layer["Settings"]!.AsObject()[setting] = 1;
                added++;
            }
            if (layer["Layers"] is JsonArray inner) added += SpellOut(inner, setting, kinds);
        }
        return added;
    }

    private static void SpellOutDefaults(JsonObject model)
    {
        var layers = model["Layers"]!.AsArray();
        (SpellOut(layers, "bias", "Dense", "Conv2D", "ConvTranspose2D") + SpellOut(layers, "groups", "Conv2D", "ConvTranspose2D")
            + SpellOut(layers, "affine", "BatchNorm1D", "BatchNorm2D"))
            .Should().BeGreaterThan(0, "the file has layers to spell a default out in");
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("nested dropout, momentum, per-step warm-up, clipping")]
    [InlineData("batch norms (cumulative without affine, momentum), adam")]
    public void Resume_CheckpointWithDefaultsSpelledOut_ResumesAsFromTheFileAsWritten(string name)
    {
        var run = Named(name);
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer) with { Epochs = 2 });
        string written = _temp.File("written.json"), spelled = _temp.File("spelled.json");
        first.Trainer.SaveCheckpoint(written);
        File.Copy(written, spelled);
        Edit(spelled, root => SpellOutDefaults(root["Model"]!.AsObject()));

        var fromWritten = run.Build();
        Fit(fromWritten.Trainer, run.Options(fromWritten.Optimizer), resumeFrom: written);
        var fromSpelled = run.Build();
        Fit(fromSpelled.Trainer, run.Options(fromSpelled.Optimizer), resumeFrom: spelled);

        Everything(fromSpelled.Network, fromSpelled.Optimizer, fromSpelled.Trainer)
            .Should().Be(Everything(fromWritten.Network, fromWritten.Optimizer, fromWritten.Trainer));
        Checkpoint.LoadNetwork<float>(spelled).DescribeLayers().Should().Equal(first.Network.DescribeLayers());
    }

    [Fact]
    public void Resume_CheckpointWithABiasOfOneHalf_RefusedAsAnotherArchitecture()
    {
        var run = Named("sgd");
        var first = run.Build();
        Fit(first.Trainer, run.Options(first.Optimizer) with { Epochs = 1 });
        string path = _temp.File("half.json");
        first.Trainer.SaveCheckpoint(path);
        Edit(path, root => Settings(root["Model"]!.AsObject(), 0)["bias"] = 0.5);
        var fresh = run.Build();

        var act = () => Fit(fresh.Trainer, run.Options(fresh.Optimizer), resumeFrom: path);

        act.Should().Throw<InvalidDataException>().WithMessage("*layer 0 is Dense(*bias=0.5*) in the checkpoint but Dense(*) in this network*");
    }

    [Fact]
    public void Load_ModelFileWithDefaultsSpelledOut_BuildsTheNetworkTheFileWithoutThemBuilds()
    {
        var network = Network.Sequential<double>([2, 6, 6]).Conv2D(3, 3).BatchNorm2D().ReLU().ConvTranspose2D(2, 2, stride: 2)
            .Flatten().Dense(4).BatchNorm1D().Dense(2).Build(seed: 5);
        string written = _temp.File("written.json"), spelled = _temp.File("spelled.json");
        ModelFile.Save(network, written);
        File.Copy(written, spelled);
        Edit(spelled, SpellOutDefaults);

        var loaded = ModelFile.Load<double>(spelled);
        var into = Network.Sequential<double>([2, 6, 6]).Conv2D(3, 3).BatchNorm2D().ReLU().ConvTranspose2D(2, 2, stride: 2)
            .Flatten().Dense(4).BatchNorm1D().Dense(2).Build(seed: 6);
        ModelFile.LoadParameters(into, spelled);

        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        into.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Load_ModelFileWithABiasOfTrue_RefusedNamingTheSettingAsNotANumber()
    {
        // Settings are numbers (the writer spells a flag 0 or 1); a JSON true is another file's spelling, refused by name.
        string path = _temp.File("true.json");
        ModelFile.Save(Network.Sequential<double>([2]).Dense(3).Build(seed: 1), path);
        Edit(path, root => Settings(root, 0)["bias"] = true);

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*: layer 0 (Dense): 'Settings.bias' must be a finite number, was true.");
    }
}
