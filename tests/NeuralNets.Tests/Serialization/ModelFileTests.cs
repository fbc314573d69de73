using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnets-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential<double> SmallNetwork(int seed) =>
        Network.Sequential<double>(3).Dense(5).LeakyReLU(0.1).Dense(4).Tanh().Dense(2).Sigmoid().Build(seed);

    [Fact]
    public void SaveThenLoad_SameNetwork_PredictsBitForBit()
    {
        var network = SmallNetwork(seed: 4);
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        var x = TestTensors.Random<double>(9, 6, 3);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.ToString().Should().Be(network.ToString());
    }

    [Fact]
    public void LoadParameters_IntoSameArchitecture_CopiesEveryValue()
    {
        var trained = SmallNetwork(seed: 1);
        var path = Path.Combine(_directory, "weights.json");
        ModelFile.Save(trained, path);
        var fresh = SmallNetwork(seed: 2);
        ModelFile.LoadParameters(fresh, path);
        for (int i = 0; i < fresh.Parameters.Count; i++)
            fresh.Parameters[i].Value.ToArray().Should().Equal(trained.Parameters[i].Value.ToArray());
    }

    [Fact]
    public void Load_OtherElementType_SaysWhichTypeTheFileHolds()
    {
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(SmallNetwork(seed: 0), path);
        var act = () => ModelFile.Load<float>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*Double*Single*");
    }

    [Fact]
    public void Load_NotAModelFile_ThrowsInvalidData()
    {
        var path = Path.Combine(_directory, "junk.json");
        File.WriteAllText(path, "{ \"hello\": 1 ");
        var act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*not a NeuralNets model file*");
    }

    [Fact]
    public void Save_Refused_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Save(SmallNetwork(seed: 0), path);
        var before = File.ReadAllBytes(path);

        LayerRegistry.Register(new UnwritableKind());
        var broken = new Sequential<double>([3], new Dense<double>(3, 2, seed: 0), new Unwritable());
        var act = () => ModelFile.Save(broken, path);
        act.Should().Throw<ArgumentException>().WithMessage("*cannot be saved*half a surrogate pair*");

        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(_directory).Should().ContainSingle();
    }

    /// <summary>
    /// A registered layer whose text setting is half a surrogate pair: the kind rebuilds the same description, but the
    /// JSON writer would write it as an escape the loader refuses, so Save refuses it before writing. (What a writer that
    /// fails half-way through leaves is AtomicFileTests'.)
    /// </summary>
    private sealed class Unwritable : ILayer<double>
    {
        public IReadOnlyList<Parameter<double>> Parameters { get; } = [];
        public Tensor<double> Forward(Tensor<double> input, bool training = false) => input;
        public Tensor<double> Backward(Tensor<double> outputGradient) => outputGradient;
        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape.ToArray();
        public LayerDescription Describe() => new("Unwritable", new Dictionary<string, double>())
        {
            TextSettings = new Dictionary<string, string> { ["note"] = "\ud800" },
        };
    }

    private sealed class UnwritableKind() : LayerKind("Unwritable")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => (ILayer<T>)(object)new Unwritable();
    }
}
