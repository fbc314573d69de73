using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>Save refuses what Load could not read back, and cleans up after saves that were killed.</summary>
public sealed class ModelFileSaveTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_NestedSequential_RefusesNamingTheLayerAndWritesNothing()
    {
        var inner = new Sequential<double>(new Dense<double>(3, 4, seed: 0), new ReLU<double>());
        var network = new Sequential<double>([3], inner, new Dense<double>(4, 2, seed: 1));
        string path = Path.Combine(Folder, "model.json");

        var act = () => ModelFile.Save(network, path);

        act.Should().Throw<ArgumentException>().WithMessage("*cannot be saved because Load could not read it back*layer 0 has the unknown kind 'Sequential'*");
        Directory.GetFiles(Folder).Should().BeEmpty();
    }

    [Fact]
    public void Save_UnknownActivationSubclass_RefusesNamingTheLayerAndKeepsTheOldFile()
    {
        string path = Path.Combine(Folder, "model.json");
        ModelFile.Save(Network.Sequential<double>(3).Dense(2).Build(seed: 0), path);
        var before = File.ReadAllBytes(path);
        var network = new Sequential<double>([3], new Dense<double>(3, 2, seed: 0), new Softsign());

        var act = () => ModelFile.Save(network, path);

        act.Should().Throw<ArgumentException>().WithMessage("*layer 1 has the unknown kind 'Softsign'*");
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(Folder).Should().ContainSingle();
    }

    [Fact]
    public void Save_StaleTemporariesOfTheTarget_RemovesOnlyThose()
    {
        string path = Path.Combine(Folder, "model.json");
        string[] stale = ["model.json.0123abcd.tmp", "model.json.ffffffff.tmp"];
        string[] kept =
        [
            "model.json.0123abcd.tmp.bak", "model.json.0123abc.tmp", "model.json.0123abcde.tmp", "model.json.0123ABCD.tmp",
            "model.json.0123abcg.tmp", "other.json.0123abcd.tmp", "xmodel.json.0123abcd.tmp", "model.json", "notes.tmp",
        ];
        foreach (string name in stale.Concat(kept))
        {
            File.WriteAllText(Path.Combine(Folder, name), "left over");
            File.SetLastWriteTimeUtc(Path.Combine(Folder, name), DateTime.UtcNow.AddHours(-1));
        }
        // Written a moment ago, as by a save still running in another process: it must survive.
        string fresh = "model.json.89abcdef.tmp";
        File.WriteAllText(Path.Combine(Folder, fresh), "being written");

        ModelFile.Save(Network.Sequential<double>(3).Dense(2).Build(seed: 0), path);

        Directory.GetFiles(Folder).Select(Path.GetFileName).Should().BeEquivalentTo(kept.Append(fresh));
        ModelFile.Load<double>(path).Parameters.Should().HaveCount(2);
    }

    /// <summary>A user's own activation, x / (1 + |x|), which the loader does not know.</summary>
    private sealed class Softsign : Activation<double>
    {
        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Abs(x[i]));
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * (1 - Math.Abs(y[i])) * (1 - Math.Abs(y[i]));
        }
    }
}
