using System.Numerics;
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
    public void Save_UnregisteredActivationSubclass_RefusesSayingHowToRegisterAndKeepsTheOldFile()
    {
        string path = Path.Combine(Folder, "model.json");
        ModelFile.Save(Network.Sequential<double>(3).Dense(2).Build(seed: 0), path);
        var before = File.ReadAllBytes(path);
        var network = new Sequential<double>([3], new Dense<double>(3, 2, seed: 0), new Softsign());

        var act = () => ModelFile.Save(network, path);

        act.Should().Throw<ArgumentException>()
            .WithMessage("*layer 1 has the unknown kind 'Softsign'*LayerKind*LayerRegistry.Register(new SoftsignKind())*Writing your own layer*");
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(Folder).Should().ContainSingle();
    }

    [Fact]
    public void Save_HalfNetwork_RefusesNamingTheElementTypeAndKeepsTheOldFile()
    {
        // Files hold float or double only (Load refuses any other), so a Half network is refused before anything is written.
        string path = Path.Combine(Folder, "model.json");
        ModelFile.Save(Network.Sequential<double>(3).Dense(2).Build(seed: 0), path);
        var before = File.ReadAllBytes(path);

        var act = () => ModelFile.Save(Network.Sequential<Half>(2).Dense(3).Build(seed: 1), path);

        act.Should().Throw<ArgumentException>().WithMessage("Only float and double networks can be saved*holds Half*");
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Fact]
    public void Save_LayerThatBorrowsABuiltInKind_RefusesNamingBothClasses()
    {
        string path = Path.Combine(Folder, "model.json");
        var network = new Sequential<double>([3], new Dense<double>(3, 2, seed: 0), new ReLUImpostor());

        var act = () => ModelFile.Save(network, path);

        act.Should().Throw<ArgumentException>().WithMessage("*layer 1 is a ReLUImpostor of the kind 'ReLU', but that kind rebuilds a ReLU<Double>*kind name of its own*");
        Directory.GetFiles(Folder).Should().BeEmpty();
    }

    [Fact]
    public void Save_KindThatDropsASetting_RefusesShowingBothDescriptions()
    {
        LayerRegistry.Register(new ForgetfulScaleKind());
        string path = Path.Combine(Folder, "model.json");
        var network = new Sequential<double>([3], new ForgetfulScale(2.5));

        var act = () => ModelFile.Save(network, path);

        act.Should().Throw<ArgumentException>().WithMessage("*layer 0 describes itself as ForgetfulScale(factor=2.5) but its kind rebuilds it as ForgetfulScale(factor=1)*");
        Directory.GetFiles(Folder).Should().BeEmpty();
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

    /// <summary>A user's own activation, x / (1 + |x|), whose kind nobody registered.</summary>
    private sealed class Softsign : Activation<double>
    {
        public override string Kind => "Softsign";

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Abs(x[i]));
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * (1 - Math.Abs(y[i])) * (1 - Math.Abs(y[i]));
        }
    }

    /// <summary>Computes something else than ReLU but says it is one: loading would swap it for the real ReLU.</summary>
    private sealed class ReLUImpostor : Activation<double>
    {
        public override string Kind => "ReLU";

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y) => x.CopyTo(y);

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) => dy.CopyTo(dx);
    }

    /// <summary>y = factor·x, whose registered kind forgets to read the factor.</summary>
    private sealed class ForgetfulScale(double factor) : Activation<double>
    {
        public override string Kind => "ForgetfulScale";

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = factor * x[i];
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++) dx[i] = factor * dy[i];
        }

        public override LayerDescription Describe() => new(Kind, new Dictionary<string, double> { ["factor"] = factor });
    }

    private sealed class ForgetfulScaleKind() : LayerKind("ForgetfulScale")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) =>
            typeof(T) == typeof(double) ? (ILayer<T>)(object)new ForgetfulScale(1) : throw new NotSupportedException("double only");
    }
}
